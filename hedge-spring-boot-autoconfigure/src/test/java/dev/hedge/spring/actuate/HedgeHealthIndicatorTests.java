package dev.hedge.spring.actuate;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.SimpleHttpCodeStatusMapper;
import org.springframework.boot.actuate.health.SimpleStatusAggregator;
import org.springframework.boot.actuate.health.Status;

import dev.hedge.HedgeNode;
import dev.hedge.TestNodes;
import dev.hedge.election.LeaseStore;
import dev.hedge.kv.LogStore;
import dev.hedge.semaphore.SemaphoreStore;
import dev.hedge.store.HedgeStore;
import dev.hedge.store.StoreKind;
import dev.hedge.testsupport.EmbeddedDatabaseExtension;
import dev.hedge.testsupport.EmbeddedTestDatabase;
import dev.hedge.testsupport.FaultyLeaseStore;
import dev.hedge.testsupport.Stores;
import dev.hedge.testsupport.Timing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link HedgeHealthIndicator} on real nodes: UP with details once a leader is known, UNKNOWN while the store is
 * unreachable so no leader can be known, DOWN before start and after close — and what UNKNOWN means for the
 * aggregate status and HTTP code, with Boot's defaults and with the readiness recipe of the README.
 */
@ExtendWith(EmbeddedDatabaseExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HedgeHealthIndicatorTests {

	private final HedgeStore store;

	private TestNodes nodes;

	HedgeHealthIndicatorTests(EmbeddedTestDatabase database) {
		this.store = Stores.embedded(database);
	}

	@AfterEach
	void stop() {
		if (this.nodes != null) {
			this.nodes.close();
		}
	}

	@AfterAll
	void closeStore() {
		this.store.close();
	}

	@Test
	void upWithDetailsWhenALeaderIsKnown() {
		this.nodes = new TestNodes(this.store);
		this.nodes.startAll(2, (builder) -> {
		});
		HedgeNode leader = this.nodes.leader().orElseThrow();
		HedgeNode follower = this.nodes.followers().get(0);
		Health health = new HedgeHealthIndicator(follower).health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("id", follower.nodeId())
			.containsEntry("group", this.nodes.group())
			.containsEntry("store", "embedded")
			.containsEntry("leader", leader.nodeId())
			.containsEntry("isLeader", false)
			.containsEntry("epoch", leader.epoch())
			.containsEntry("members", 2);
		assertThat(new HedgeHealthIndicator(leader).health().getDetails()).containsEntry("isLeader", true);
	}

	@Test
	void unknownWhileNoLeaderIsKnownThenUpOnceOneIs() {
		FaultyLeaseStore leases = new FaultyLeaseStore(this.store.leases());
		leases.cut();
		this.nodes = new TestNodes(new LeasesBehind(this.store, leases));
		HedgeNode node = this.nodes.start((builder) -> {
		});
		HedgeHealthIndicator indicator = new HedgeHealthIndicator(node);
		await().atMost(Timing.seconds(5)).until(() -> leases.calls() > 0);
		Health health = indicator.health();
		assertThat(health.getStatus()).isEqualTo(Status.UNKNOWN);
		assertThat(health.getDetails()).containsEntry("leader", null).containsEntry("isLeader", false);

		leases.heal();
		await().atMost(Timing.seconds(10)).until(() -> indicator.health().getStatus().equals(Status.UP));
		assertThat(indicator.health().getDetails()).containsEntry("leader", node.nodeId());
	}

	@Test
	void downBeforeStartAndAfterClose() {
		HedgeNode idle = HedgeNode.builder("idle").store(this.store, false).build();
		assertThat(new HedgeHealthIndicator(idle).health().getStatus()).isEqualTo(Status.DOWN);
		this.nodes = new TestNodes(this.store);
		HedgeNode node = this.nodes.startAll(1, (builder) -> {
		}).get(0);
		node.close();
		Health health = new HedgeHealthIndicator(node).health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("running", false).containsEntry("id", node.nodeId());
	}

	@Test
	void unknownKeepsTheDefaultAggregateUpButTheReadinessRecipeTurnsItInto503() {
		SimpleStatusAggregator defaults = new SimpleStatusAggregator();
		assertThat(defaults.getAggregateStatus(Status.UP, Status.UNKNOWN)).isEqualTo(Status.UP);
		assertThat(new SimpleHttpCodeStatusMapper().getStatusCode(Status.UNKNOWN)).isEqualTo(200);
		// management.endpoint.health.group.readiness.status.order=down,out-of-service,unknown,up
		SimpleStatusAggregator readiness = new SimpleStatusAggregator("down", "out-of-service", "unknown", "up");
		assertThat(readiness.getAggregateStatus(Status.UP, Status.UNKNOWN)).isEqualTo(Status.UNKNOWN);
		// management.endpoint.health.group.readiness.status.http-mapping.unknown=503
		assertThat(new SimpleHttpCodeStatusMapper(Map.of("unknown", 503)).getStatusCode(Status.UNKNOWN))
			.isEqualTo(503);
	}

	/** A real store whose lease store is behind a switch. */
	private record LeasesBehind(HedgeStore delegate, LeaseStore leases) implements HedgeStore {

		@Override
		public StoreKind kind() {
			return this.delegate.kind();
		}

		@Override
		public LogStore log() {
			return this.delegate.log();
		}

		@Override
		public SemaphoreStore semaphores() {
			return this.delegate.semaphores();
		}

		@Override
		public void close() {
		}

	}

}
