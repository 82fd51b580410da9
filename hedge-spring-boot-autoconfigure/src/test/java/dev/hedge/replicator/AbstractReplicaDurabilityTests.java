package dev.hedge.replicator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.hedge.HedgeNode;
import dev.hedge.TestNodes;
import dev.hedge.store.HedgeStore;
import dev.hedge.testsupport.Timing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Durable replicated data: three members keep their replicas in the store; likes acknowledged with MAJORITY are sent
 * to random members, then every member is halted at once (as a SIGKILL of the whole group: nothing pushed, nothing
 * flushed on the way out) and a new group of three starts on the same store. Every acknowledged like must be there,
 * on every new member, with no other member to learn it from than the store.
 */
abstract class AbstractReplicaDurabilityTests {

	private static final int LIKES = 2_000;

	private final HedgeStore store;

	private TestNodes nodes;

	AbstractReplicaDurabilityTests(HedgeStore store) {
		this.store = store;
	}

	@AfterEach
	void stop() {
		if (this.nodes != null) {
			this.nodes.close();
		}
		this.store.close();
	}

	@Test
	void aWholeGroupHaltedAtOnceLosesNoAcknowledgedMajorityLike() {
		this.nodes = new TestNodes(this.store);
		ReplicatorOptions durable = ReplicatorOptions.builder().durable(true).build();
		List<HedgeNode> first = this.nodes.startAll(3, (builder) -> builder.replicatedData(durable));
		await().atMost(Timing.seconds(15)).until(() -> first.stream().allMatch((n) -> n.members().size() == 3));
		Consistency majority = Consistency.majority(Timing.scaled(Duration.ofSeconds(3)));
		List<String> acknowledged = new ArrayList<>();
		int timeouts = 0;
		long start = System.nanoTime();
		for (int i = 0; i < LIKES; i++) {
			String user = "user-" + i;
			for (int attempt = 0;; attempt++) {
				HedgeNode member = first.get(ThreadLocalRandom.current().nextInt(first.size()));
				try {
					member.replicator().growOnlySet("likes/post-" + (i % 20), String.class).add(user, majority);
					acknowledged.add(user);
					break;
				}
				catch (ReplicationTimeoutException ex) {
					// not acknowledged: the client retries, possibly on another member
					timeouts++;
					assertThat(attempt).as("attempts of %s", user).isLessThan(10);
				}
			}
		}
		long sendMillis = (System.nanoTime() - start) / 1_000_000;
		first.forEach(this.nodes::halt);

		long restart = System.nanoTime();
		List<HedgeNode> second = this.nodes.startAll(3, (builder) -> builder.replicatedData(durable));
		await().atMost(Timing.seconds(10)).until(() -> second.stream().allMatch((n) -> n.replicator().stats().loaded()));
		long loadedMillis = (System.nanoTime() - restart) / 1_000_000;
		for (HedgeNode member : second) {
			long counted = 0;
			for (int post = 0; post < 20; post++) {
				counted += member.replicator().growOnlySet("likes/post-" + post, String.class).size();
			}
			assertThat(counted).as("likes on %s after the restart", member.nodeId()).isEqualTo(acknowledged.size());
		}
		System.out.printf("durable replicas (%s): %d MAJORITY likes acknowledged in %d ms (%d timed out and were"
				+ " retried), whole group halted, 3 new members loaded the store in %d ms, 0 lost%n",
				this.store.kind().id(), acknowledged.size(), sendMillis, timeouts, loadedMillis);
	}

}
