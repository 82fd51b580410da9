package dev.hedge;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.hedge.common.NotRunningException;
import dev.hedge.election.LeaderChange;
import dev.hedge.election.LeadershipEvent;
import dev.hedge.election.LeadershipListener;
import dev.hedge.membership.MembershipChange;
import dev.hedge.messaging.BroadcastOptions;
import dev.hedge.messaging.Messenger;
import dev.hedge.store.HedgeStore;
import dev.hedge.testsupport.ElectionCluster;
import dev.hedge.testsupport.EmbeddedDatabaseExtension;
import dev.hedge.testsupport.EmbeddedTestDatabase;
import dev.hedge.testsupport.Stores;
import dev.hedge.testsupport.Timing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A node's answers around its life: before start and after close its queries answer "not leading, no leader, no
 * members" (hedge-Go answers {@code (false, 0)} there) and its operations fail with {@link NotRunningException};
 * listeners added before start are told once it runs; every member, followers included, is told when the leader
 * changes.
 */
@ExtendWith(EmbeddedDatabaseExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HedgeNodeLifecycleTests {

	private final HedgeStore store;

	private TestNodes nodes;

	HedgeNodeLifecycleTests(EmbeddedTestDatabase database) {
		this.store = Stores.embedded(database);
	}

	@AfterEach
	void stopNodes() {
		if (this.nodes != null) {
			this.nodes.close();
		}
	}

	@AfterAll
	void closeStore() {
		this.store.close();
	}

	private HedgeNode unstarted() {
		return unstarted("lifecycle-" + System.nanoTime());
	}

	private HedgeNode unstarted(String group) {
		return HedgeNode.builder(group)
			.store(this.store, false)
			.address("127.0.0.1")
			.listen("127.0.0.1", 0)
			.election(ElectionCluster.TEST_OPTIONS)
			.membership(TestNodes.MEMBERSHIP)
			.messaging(TestNodes.MESSAGING)
			.build();
	}

	@Test
	void queriesBeforeStartAndAfterCloseAnswerNotLeadingAndEmpty() {
		HedgeNode node = unstarted();
		assertNotRunningAnswers(node);
		assertThatExceptionOfType(NotRunningException.class).isThrownBy(node::nodeId)
			.withMessageContaining("not started");
		node.start();
		try {
			await().atMost(Timing.seconds(10)).until(node::isLeader);
			assertThat(node.leaderId()).contains(node.nodeId());
			assertThat(node.members()).containsExactly(node.nodeId());
		}
		finally {
			node.close();
		}
		assertNotRunningAnswers(node);
		assertThat(node.nodeId()).as("the id stays known after close").startsWith("127.0.0.1:");
	}

	private static void assertNotRunningAnswers(HedgeNode node) {
		assertThat(node.isRunning()).isFalse();
		assertThat(node.isLeader()).isFalse();
		assertThat(node.leaderId()).isEmpty();
		assertThat(node.epoch()).isZero();
		assertThat(node.members()).isEmpty();
		assertThat(node.leadership().fence()).isEmpty();
		assertThat(node.leadership().leaseRemaining()).isEmpty();
	}

	@Test
	void operationsOfANodeThatDoesNotRunFailTyped() {
		HedgeNode node = unstarted();
		byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);
		assertThatExceptionOfType(NotRunningException.class).isThrownBy(node::kv).withMessageContaining("not started");
		assertThatExceptionOfType(NotRunningException.class).isThrownBy(() -> node.semaphore("s", 1));
		assertThatExceptionOfType(NotRunningException.class).isThrownBy(() -> node.broadcast(hello));
		node.start();
		Messenger messenger = node.messenger();
		assertThat(messenger.broadcast(hello, BroadcastOptions.all())).hasSize(1);
		node.close();
		assertThatExceptionOfType(NotRunningException.class).isThrownBy(() -> node.broadcast(hello))
			.withMessageContaining("closed");
		assertThatExceptionOfType(NotRunningException.class)
			.isThrownBy(() -> messenger.broadcast(hello, BroadcastOptions.all()))
			.withMessageContaining("closed");
		assertThatExceptionOfType(NotRunningException.class).isThrownBy(() -> messenger.sendToLeader(hello));
		assertThatExceptionOfType(NotRunningException.class).isThrownBy(() -> messenger.send(hello));
		assertThatExceptionOfType(NotRunningException.class).isThrownBy(() -> node.kv().put("k", "v"))
			.withMessageContaining("closed");
		assertThatExceptionOfType(NotRunningException.class).isThrownBy(() -> node.semaphore("s", 1))
			.withMessageContaining("closed");
	}

	@Test
	void listenersAddedBeforeStartAreToldOnceTheNodeRuns() {
		String group = "lifecycle-" + System.nanoTime();
		HedgeNode node = unstarted(group);
		List<Object> told = new CopyOnWriteArrayList<>();
		node.leadership().addListener(new LeadershipListener() {
			@Override
			public void onGranted(LeadershipEvent event) {
				told.add(event);
			}

			@Override
			public void onLeaderChanged(LeaderChange change) {
				told.add(change);
			}
		});
		node.membership().addListener(told::add);
		node.start();
		HedgeNode joiner = unstarted(group);
		try {
			await().atMost(Timing.seconds(10)).until(node::isLeader);
			joiner.start();
			await().atMost(Timing.seconds(10)).untilAsserted(() -> assertThat(told)
				.anySatisfy((e) -> assertThat(e).isInstanceOf(LeadershipEvent.class))
				.anySatisfy((e) -> assertThat(e).isEqualTo(new LeaderChange(node.nodeId(), node.nodeId(), node.epoch())))
				.anySatisfy((e) -> assertThat(e).isInstanceOfSatisfying(MembershipChange.class,
						(change) -> assertThat(change.added()).contains(joiner.nodeId()))));
		}
		finally {
			joiner.close();
			node.close();
		}
	}

	@Test
	void everyMemberIsToldWhenTheLeaderChangesFollowersIncluded() throws Exception {
		this.nodes = new TestNodes(this.store);
		Map<String, List<LeaderChange>> seen = new ConcurrentHashMap<>();
		List<HedgeNode> cluster = this.nodes.startAll(3, (builder) -> {
		});
		for (HedgeNode node : cluster) {
			List<LeaderChange> changes = new CopyOnWriteArrayList<>();
			seen.put(node.nodeId(), changes);
			node.leadership().addListener(new LeadershipListener() {
				@Override
				public void onLeaderChanged(LeaderChange change) {
					changes.add(change);
				}
			});
		}
		HedgeNode leader = this.nodes.leader().orElseThrow();
		long epoch = leader.epoch();
		leader.close();
		await().atMost(Timing.seconds(15)).until(() -> this.nodes.leader().isPresent());
		HedgeNode successor = this.nodes.leader().orElseThrow();
		assertThat(successor.epoch()).isGreaterThan(epoch);
		for (HedgeNode node : this.nodes.running()) {
			await().atMost(Timing.seconds(5)).untilAsserted(() -> assertThat(seen.get(node.nodeId()))
				.as("leader changes seen by %s", node.nodeId())
				.contains(new LeaderChange(node.nodeId(), successor.nodeId(), successor.epoch())));
		}
		List<LeaderChange> follower = seen.get(this.nodes.followers().get(0).nodeId());
		assertThat(follower).as("a follower is told of the new term only once")
			.filteredOn((c) -> successor.nodeId().equals(c.leaderId()) && c.epoch() == successor.epoch())
			.hasSize(1);
	}

}
