package dev.hedge.spring.actuate;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.hedge.HedgeNode;
import dev.hedge.TestNodes;
import dev.hedge.messaging.HandlerFailedException;
import dev.hedge.semaphore.HedgeSemaphore;
import dev.hedge.semaphore.Permit;
import dev.hedge.store.HedgeStore;
import dev.hedge.testsupport.EmbeddedDatabaseExtension;
import dev.hedge.testsupport.ElectionCluster;
import dev.hedge.testsupport.EmbeddedTestDatabase;
import dev.hedge.testsupport.Stores;
import dev.hedge.testsupport.Timing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@link HedgeMetrics} on real nodes, each with its own registry: gauges follow the election and membership, timers
 * count operations by outcome, the permits-held gauge follows acquires and releases.
 */
@ExtendWith(EmbeddedDatabaseExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HedgeMetricsTests {

	private final HedgeStore store;

	private final String group = "metrics-" + UUID.randomUUID().toString().substring(0, 8);

	private final List<HedgeNode> started = new CopyOnWriteArrayList<>();

	HedgeMetricsTests(EmbeddedTestDatabase database) {
		this.store = Stores.embedded(database);
	}

	@AfterEach
	void stop() {
		this.started.forEach(HedgeNode::close);
	}

	@AfterAll
	void closeStore() {
		this.store.close();
	}

	@Test
	void metersFollowTheGroupAndCountOperationsByOutcome() throws InterruptedException {
		Map<HedgeNode, MeterRegistry> registries = new ConcurrentHashMap<>();
		List<HedgeNode> nodes = List.of(start(registries), start(registries));
		await().atMost(Timing.seconds(15))
			.until(() -> nodes.stream().filter(HedgeNode::isLeader).count() == 1
					&& nodes.stream().allMatch((n) -> n.members().size() == 2));
		HedgeNode leader = nodes.stream().filter(HedgeNode::isLeader).findFirst().orElseThrow();
		HedgeNode follower = nodes.stream().filter((n) -> n != leader).findFirst().orElseThrow();
		MeterRegistry onLeader = registries.get(leader);
		MeterRegistry onFollower = registries.get(follower);
		String group = this.group;

		assertThat(onLeader.get("hedge.leader").tag("group", group).gauge().value()).isEqualTo(1);
		assertThat(onFollower.get("hedge.leader").tag("group", group).gauge().value()).isZero();
		assertThat(onFollower.get("hedge.epoch").tag("group", group).gauge().value()).isEqualTo(leader.epoch());
		assertThat(onFollower.get("hedge.members").tag("group", group).gauge().value()).isEqualTo(2);

		follower.send(bytes("x"));
		follower.send(bytes("y"));
		assertThatExceptionOfType(HandlerFailedException.class).isThrownBy(() -> follower.send(bytes("fail")));
		follower.broadcast(bytes("b"));
		follower.kv().put("k", "v");
		HedgeSemaphore jobs = follower.semaphore("jobs", 2);
		Permit permit = jobs.acquire();
		assertThat(onFollower.get("hedge.semaphore.permits.held").tags("group", group, "semaphore", "jobs").gauge().value())
			.isEqualTo(1);
		assertThat(onFollower.get("hedge.semaphore.limit").tags("group", group, "semaphore", "jobs").gauge().value())
			.isEqualTo(2);
		permit.release();
		assertThat(onFollower.get("hedge.semaphore.permits.held").tags("group", group, "semaphore", "jobs").gauge().value())
			.isZero();

		assertThat(count(onFollower, "hedge.send", "ok")).isEqualTo(2);
		assertThat(count(onFollower, "hedge.send", "handler_failed")).isEqualTo(1);
		await().atMost(Timing.seconds(5)).until(() -> count(onFollower, "hedge.broadcast", "ok") == 1);
		assertThat(count(onFollower, "hedge.kv.put", "ok")).isEqualTo(1);
		assertThat(onFollower.get("hedge.semaphore.acquire")
			.tags("group", group, "outcome", "ok", "semaphore", "jobs")
			.timer()
			.count()).isEqualTo(1);
		assertThat(onFollower.get("hedge.semaphore.release")
			.tags("group", group, "outcome", "ok", "semaphore", "jobs")
			.timer()
			.count()).isEqualTo(1);
		assertThat(onLeader.find("hedge.send").timers()).as("the leader served, it sent nothing").isEmpty();
		await().atMost(Timing.seconds(5))
			.until(() -> Search.in(onLeader).name("hedge.election.renewals").tag("outcome", "renewed").timer() != null);
		assertThat(onLeader.get("hedge.election.takeovers").tags("group", group, "outcome", "acquired").timer().count())
			.isEqualTo(1);
	}

	/** Builds a node like {@link TestNodes} does, registers its meters before it starts, then starts it. */
	private HedgeNode start(Map<HedgeNode, MeterRegistry> registries) {
		HedgeNode node = HedgeNode.builder(this.group)
			.store(this.store, false)
			.address("127.0.0.1")
			.listen("127.0.0.1", 0)
			.election(ElectionCluster.TEST_OPTIONS)
			.membership(TestNodes.MEMBERSHIP)
			.messaging(TestNodes.MESSAGING)
			.leaderHandler((message) -> {
				if (new String(message.payload(), StandardCharsets.UTF_8).equals("fail")) {
					throw new IllegalStateException("boom");
				}
				return bytes("hello");
			})
			.broadcastHandler((message) -> bytes("ok"))
			.build();
		MeterRegistry registry = new SimpleMeterRegistry();
		HedgeMetrics metrics = new HedgeMetrics(node, null, registry);
		node.beforeStart(metrics::registerWith);
		registries.put(node, registry);
		this.started.add(node);
		return node.start();
	}

	private static double count(MeterRegistry registry, String name, String outcome) {
		var timer = Search.in(registry).name(name).tag("outcome", outcome).timer();
		return (timer != null) ? timer.count() : 0;
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
