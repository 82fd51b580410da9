package dev.hedge.spring.actuate;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.hedge.HedgeNode;
import dev.hedge.TestNodes;
import dev.hedge.semaphore.HedgeSemaphore;
import dev.hedge.semaphore.Permit;
import dev.hedge.spring.HedgeSemaphores;
import dev.hedge.spring.actuate.HedgeEndpoint.HedgeDescriptor;
import dev.hedge.spring.actuate.HedgeEndpoint.MemberDescriptor;
import dev.hedge.spring.actuate.HedgeEndpoint.YieldDescriptor;
import dev.hedge.store.HedgeStore;
import dev.hedge.testsupport.EmbeddedDatabaseExtension;
import dev.hedge.testsupport.EmbeddedTestDatabase;
import dev.hedge.testsupport.Stores;
import dev.hedge.testsupport.Timing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link HedgeEndpoint} on real nodes: what the leader and a follower describe, the JSON names, the semaphores'
 * holders read from the store, yielding, and a node that has not started or has closed.
 */
@ExtendWith(EmbeddedDatabaseExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HedgeEndpointTests {

	private final HedgeStore store;

	private TestNodes nodes;

	HedgeEndpointTests(EmbeddedTestDatabase database) {
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
	void leaderAndFollowerDescribeTheSameGroupFromTheirSide() {
		this.nodes = new TestNodes(this.store);
		this.nodes.startAll(2, (builder) -> {
		});
		HedgeNode leader = this.nodes.leader().orElseThrow();
		HedgeNode follower = this.nodes.followers().get(0);

		HedgeDescriptor fromLeader = new HedgeEndpoint(leader, null).hedge();
		assertThat(fromLeader.isRunning()).isTrue();
		assertThat(fromLeader.getId()).isEqualTo(leader.nodeId());
		assertThat(fromLeader.getGroup()).isEqualTo(this.nodes.group());
		assertThat(fromLeader.getLeader()).isEqualTo(leader.nodeId());
		assertThat(fromLeader.getIsLeader()).isTrue();
		assertThat(fromLeader.getEpoch()).isEqualTo(leader.epoch());
		assertThat(fromLeader.getLeaseRemainingMillis()).isPositive();
		assertThat(fromLeader.getStore()).isEqualTo("embedded");
		assertThat(fromLeader.getMembershipVersion()).isNotNull();
		assertThat(fromLeader.getMembers()).extracting(MemberDescriptor::getId)
			.containsExactlyInAnyOrder(leader.nodeId(), follower.nodeId());
		assertThat(fromLeader.getMembers()).allSatisfy((m) -> assertThat(m.getLastSeenMillis()).isNotNull());
		assertThat(fromLeader.getMembers()).filteredOn(MemberDescriptor::isLeader)
			.extracting(MemberDescriptor::getId)
			.containsExactly(leader.nodeId());
		assertThat(fromLeader.getMembers()).filteredOn(MemberDescriptor::isSelf)
			.extracting(MemberDescriptor::getId)
			.containsExactly(leader.nodeId());

		HedgeDescriptor fromFollower = new HedgeEndpoint(follower, null).hedge();
		assertThat(fromFollower.getId()).isEqualTo(follower.nodeId());
		assertThat(fromFollower.getLeader()).isEqualTo(leader.nodeId());
		assertThat(fromFollower.getIsLeader()).isFalse();
		assertThat(fromFollower.getEpoch()).isEqualTo(leader.epoch());
		assertThat(fromFollower.getLeaseRemainingMillis()).isNull();
		assertThat(fromFollower.getMembers()).extracting(MemberDescriptor::getId)
			.containsExactlyInAnyOrder(leader.nodeId(), follower.nodeId());
		assertThat(fromFollower.getMembers()).allSatisfy((m) -> assertThat(m.getLastSeenMillis()).isNull());
		assertThat(fromFollower.getSemaphores()).isEmpty();
	}

	@Test
	void theJsonUsesTheDocumentedNamesAndKeepsNulls() throws Exception {
		this.nodes = new TestNodes(this.store);
		this.nodes.startAll(2, (builder) -> {
		});
		HedgeNode follower = this.nodes.followers().get(0);
		ObjectMapper mapper = new ObjectMapper().findAndRegisterModules();
		@SuppressWarnings("unchecked")
		Map<String, Object> json = mapper.readValue(mapper.writeValueAsString(new HedgeEndpoint(follower, null).hedge()),
				Map.class);
		assertThat(json).containsKeys("id", "group", "leader", "isLeader", "epoch", "store", "security", "members", "running",
				"leaseRemainingMillis", "membershipVersion", "membershipEpoch", "semaphores");
		assertThat(json).containsEntry("isLeader", false).containsEntry("leaseRemainingMillis", null);
		assertThat(json.get("leader")).isEqualTo(this.nodes.leader().orElseThrow().nodeId());
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> members = (List<Map<String, Object>>) json.get("members");
		assertThat(members).allSatisfy((member) -> assertThat(member).containsKeys("id", "leader", "self",
				"lastSeenMillis"));
	}

	@Test
	void semaphoresShowTheirHoldersAsStoredAndThePermitsThisMemberHolds() throws Exception {
		this.nodes = new TestNodes(this.store);
		this.nodes.startAll(2, (builder) -> {
		});
		HedgeNode follower = this.nodes.followers().get(0);
		HedgeSemaphores semaphores = new HedgeSemaphores(follower);
		HedgeSemaphore jobs = semaphores.get("jobs", 2);
		semaphores.get("exports", 1);
		HedgeEndpoint endpoint = new HedgeEndpoint(follower, semaphores);

		try (Permit permit = jobs.acquire()) {
			HedgeDescriptor described = endpoint.hedge();
			assertThat(described.getSemaphores()).extracting(HedgeEndpoint.SemaphoreDescriptor::getName)
				.containsExactly("exports", "jobs");
			HedgeEndpoint.SemaphoreDescriptor held = described.getSemaphores().get(1);
			assertThat(held.getLimit()).isEqualTo(2);
			assertThat(held.getPermitsHeld()).isEqualTo(1);
			assertThat(held.getError()).isNull();
			assertThat(held.getHolders()).singleElement().satisfies((holder) -> {
				assertThat(holder.getPermitId()).isEqualTo(permit.id());
				assertThat(holder.getHolder()).isEqualTo(follower.nodeId());
				assertThat(holder.getGrantedAt()).isNotBlank();
			});
			assertThat(described.getSemaphores().get(0).getHolders()).isEmpty();
		}
		assertThat(endpoint.hedge().getSemaphores().get(1).getPermitsHeld()).isZero();
	}

	@Test
	void yieldMovesLeadershipToAnotherMemberAndIsRefusedOnAFollower() {
		this.nodes = new TestNodes(this.store);
		this.nodes.startAll(2, (builder) -> {
		});
		HedgeNode leader = this.nodes.leader().orElseThrow();
		HedgeNode follower = this.nodes.followers().get(0);
		long epoch = leader.epoch();

		YieldDescriptor refused = new HedgeEndpoint(follower, null).yieldLeadership();
		assertThat(refused.isYielded()).isFalse();
		assertThat(refused.getMessage()).isEqualTo("not the leader");

		YieldDescriptor yielded = new HedgeEndpoint(leader, null).yieldLeadership();
		assertThat(yielded.isYielded()).isTrue();
		assertThat(yielded.getId()).isEqualTo(leader.nodeId());
		assertThat(yielded.getEpoch()).isEqualTo(epoch);
		await().atMost(Timing.seconds(5)).until(() -> follower.isLeader());
		assertThat(follower.epoch()).isGreaterThan(epoch);
		await().atMost(Timing.seconds(5))
			.until(() -> follower.nodeId().equals(new HedgeEndpoint(leader, null).hedge().getLeader()));
	}

	@Test
	void aNodeThatHasNotStartedOrHasClosedIsDescribedAsNotRunning() {
		HedgeNode idle = HedgeNode.builder("idle").store(this.store, false).build();
		HedgeDescriptor before = new HedgeEndpoint(idle, null).hedge();
		assertThat(before.isRunning()).isFalse();
		assertThat(before.getId()).isNull();
		assertThat(before.getLeader()).isNull();
		assertThat(before.getEpoch()).isNull();
		assertThat(before.getMembers()).isEmpty();
		assertThat(before.getGroup()).isEqualTo("idle");

		this.nodes = new TestNodes(this.store);
		HedgeNode node = this.nodes.startAll(1, (builder) -> {
		}).get(0);
		node.close();
		HedgeDescriptor after = new HedgeEndpoint(node, null).hedge();
		assertThat(after.isRunning()).isFalse();
		assertThat(after.getId()).isEqualTo(node.nodeId());
		assertThat(after.getLeader()).isNull();
		assertThat(new HedgeEndpoint(node, null).yieldLeadership().isYielded()).isFalse();
	}

}
