package dev.hedge.election;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.hedge.store.HedgeStore;
import dev.hedge.testsupport.ElectionCluster;
import dev.hedge.testsupport.ElectionCluster.Node;
import dev.hedge.testsupport.LeadershipHistory.Term;
import dev.hedge.testsupport.Timing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Five electors on one database in one JVM: steady state, crash failover, graceful handover, and no overlapping
 * leadership across at least ten leader changes. Run on every backend by subclasses.
 */
abstract class AbstractElectionClusterTests {

	private final HedgeStore store;

	private ElectionCluster cluster;

	AbstractElectionClusterTests(HedgeStore store) {
		this.store = store;
	}

	@AfterEach
	void stopCluster() {
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	@org.junit.jupiter.api.AfterAll
	void closeStore() {
		this.store.close();
	}

	private ElectionCluster startCluster(int size) {
		this.cluster = new ElectionCluster(this.store.leases(), ElectionCluster.TEST_OPTIONS);
		for (int i = 0; i < size; i++) {
			this.cluster.start();
		}
		return this.cluster;
	}

	private Node awaitSingleLeader(ElectionCluster cluster, Duration within) {
		await().atMost(within).pollInterval(Duration.ofMillis(10)).until(() -> cluster.leader().isPresent());
		return cluster.leader().orElseThrow();
	}

	@Test
	void fiveNodesSettleOnExactlyOneLeaderThatEveryoneKnows() {
		ElectionCluster cluster = startCluster(5);
		ElectionOptions options = cluster.options();
		Node leader = awaitSingleLeader(cluster, Timing.scaled(options.failoverBound().multipliedBy(2)));
		// followers learn the holder at their next lease poll; on a loaded 2-core CI machine an embedded-store poll
		// has taken longer than 4 poll intervals, so the bound is one failover bound
		await().atMost(Timing.scaled(options.failoverBound()))
			.until(() -> cluster.running()
				.stream()
				.allMatch((n) -> n.elector.leaderId().filter(leader.id()::equals).isPresent()));
		long end = System.nanoTime() + Duration.ofSeconds(4).toNanos();
		int samples = 0;
		while (System.nanoTime() < end) {
			assertThat(cluster.leaders()).as("leaders in steady state").containsExactly(leader);
			samples++;
			sleep(20);
		}
		assertThat(samples).isGreaterThan(50);
		long epoch = leader.elector.epoch();
		assertThat(cluster.running()).allSatisfy((n) -> assertThat(n.elector.epoch()).isEqualTo(epoch));
		assertThat(cluster.history().terms()).as("no leader change in steady state").hasSize(1);
	}

	@Test
	void crashAndGracefulHandoverNeverOverlapAcrossTenLeaderChanges() {
		ElectionCluster cluster = startCluster(5);
		ElectionOptions options = cluster.options();
		Node leader = awaitSingleLeader(cluster, Timing.scaled(options.failoverBound().multipliedBy(2)));
		Duration crashBound = options.failoverBound();
		Duration tolerance = Timing.scaled(Duration.ofMillis(600));
		int changes = 0;
		for (int i = 0; i < 10; i++) {
			boolean crash = (i % 3 == 2);
			long before = System.nanoTime();
			if (crash) {
				leader.crash();
			}
			else {
				leader.stop();
			}
			Node previous = leader;
			await().atMost(crashBound.plus(tolerance).plus(Timing.seconds(2)))
				.pollInterval(Duration.ofMillis(5))
				.until(() -> cluster.history().termsSince(before).stream().anyMatch((t) -> !t.node.equals(previous.id())));
			Term next = cluster.history()
				.termsSince(before)
				.stream()
				.filter((t) -> !t.node.equals(previous.id()))
				.findFirst()
				.orElseThrow();
			Duration took = Duration.ofNanos(next.start - before);
			System.out.printf("[%s] leader change %d (%s): new leader %s epoch %d after %d ms%n",
					getClass().getSimpleName(), i + 1, crash ? "crash" : "graceful close", next.node, next.epoch,
					took.toMillis());
			if (crash) {
				assertThat(took).as("crash failover %d", i).isLessThanOrEqualTo(crashBound.plus(tolerance));
			}
			else {
				assertThat(took).as("graceful handover %d", i).isLessThan(Duration.ofSeconds(1));
			}
			changes++;
			cluster.start();
			leader = awaitSingleLeader(cluster, Timing.seconds(5));
		}
		assertThat(changes).isEqualTo(10);
		List<Term> terms = cluster.history().terms();
		Set<Long> epochs = terms.stream().map((t) -> t.epoch).collect(Collectors.toSet());
		assertThat(epochs).hasSizeGreaterThanOrEqualTo(11);
		assertThat(cluster.history().overlaps(System.nanoTime())).as("overlapping leadership").isEmpty();
		assertThat(cluster.history().epochOrderViolations()).isEmpty();
	}

	@Test
	void aReleaseAnnouncedWhileAFollowersReadIsInFlightIsTakenOverAsSoonAsThatReadEnds() throws Exception {
		// a long poll interval: a follower that forgot the announcement would wait most of it
		Duration poll = Duration.ofSeconds(5);
		this.cluster = new ElectionCluster(this.store.leases(),
				ElectionCluster.TEST_OPTIONS.toBuilder().pollInterval(poll).build());
		Node leader = this.cluster.start();
		awaitSingleLeader(this.cluster, Timing.scaled(this.cluster.options().failoverBound()));
		Node follower = this.cluster.start();
		var held = follower.faulty.holdNextReadAnswer();
		// the follower's first poll reads the lease while the leader still holds it; its answer is held back
		assertThat(held.awaitHeld(Timing.scaled(poll.multipliedBy(2)))).as("the follower polled").isTrue();
		leader.stop();
		// what the leader's departure announcement does on every member (MembershipManager): the read in flight
		// began before the release committed, so it answers "held"
		follower.elector.pollNow();
		long answered = System.nanoTime();
		held.letGo();
		await().atMost(poll.multipliedBy(2)).pollInterval(Duration.ofMillis(5)).until(follower.elector::isLeader);
		Duration took = Duration.ofNanos(System.nanoTime() - answered);
		System.out.printf("[%s] takeover %d ms after the stale read answered (poll interval %d ms)%n",
				getClass().getSimpleName(), took.toMillis(), poll.toMillis());
		assertThat(took).as("takeover after the held read").isLessThan(Timing.scaled(Duration.ofSeconds(1)));
		assertThat(took).isLessThan(poll.multipliedBy(9).dividedBy(10));
		assertThat(this.cluster.history().overlaps(System.nanoTime())).isEmpty();
	}

	@Test
	void aDeadLeadersLeaseIsTakenOverWhenItLapsesNotAPollIntervalLater() {
		// a poll interval longer than the lease: a follower that only polled every P would take up to L+G+P (9 s)
		ElectionOptions options = ElectionCluster.TEST_OPTIONS.toBuilder().pollInterval(Duration.ofSeconds(5)).build();
		this.cluster = new ElectionCluster(this.store.leases(), options);
		Node leader = this.cluster.start();
		awaitSingleLeader(this.cluster, Timing.scaled(options.failoverBound()));
		this.cluster.start();
		this.cluster.start();
		Duration bound = options.leaseDuration().plus(options.grace()).plus(Timing.scaled(Duration.ofMillis(600)));
		for (int round = 0; round < 3; round++) {
			// half a poll interval after the last start, so the followers' polls are out of phase with the lapse
			sleep(2_500);
			long crashed = System.nanoTime();
			Node previous = leader;
			leader.crash();
			await().atMost(options.failoverBound().plus(Timing.seconds(2)))
				.pollInterval(Duration.ofMillis(5))
				.until(() -> this.cluster.history().termsSince(crashed).stream()
					.anyMatch((t) -> !t.node.equals(previous.id())));
			Term next = this.cluster.history().termsSince(crashed).get(0);
			Duration took = Duration.ofNanos(next.start - crashed);
			System.out.printf("[%s] failover %d with P = 5 s: %d ms (L+G = %d ms)%n", getClass().getSimpleName(),
					round + 1, took.toMillis(), options.leaseDuration().plus(options.grace()).toMillis());
			assertThat(took).as("failover %d", round).isLessThanOrEqualTo(bound);
			this.cluster.start();
			leader = this.cluster.leader().orElseThrow();
		}
		assertThat(this.cluster.history().overlaps(System.nanoTime())).isEmpty();
	}

	@Test
	void aClosingLeaderReleasesWithoutWaitingForItsRenewalInFlightAndThatRenewalCannotTakeTheLeaseBack()
			throws Exception {
		ElectionCluster cluster = startCluster(1);
		Node leader = awaitSingleLeader(cluster, Timing.scaled(cluster.options().failoverBound()));
		Node follower = cluster.start();
		var renewal = leader.faulty.holdNextRenewal();
		assertThat(renewal.awaitHeld(Timing.scaled(cluster.options().renewInterval().multipliedBy(3))))
			.as("a renewal is in flight").isTrue();
		long closing = System.nanoTime();
		leader.stop();
		Duration closed = Duration.ofNanos(System.nanoTime() - closing);
		// the renewal hangs up to the store timeout (2 s); the close must not wait for it
		assertThat(closed).as("close with a renewal in flight").isLessThan(Duration.ofSeconds(1));
		follower.elector.pollNow();
		await().atMost(Timing.scaled(cluster.options().pollInterval().multipliedBy(3)))
			.pollInterval(Duration.ofMillis(5))
			.until(follower.elector::isLeader);
		renewal.letGo();
		// close() does not interrupt it: it reaches the store after the release and changes no row
		await().atMost(Duration.ofSeconds(5)).until(renewal.outcome()::isDone);
		assertThat(renewal.outcome().get()).as("the late renewal changed the row").isFalse();
		assertThat(this.store.leases().read(cluster.lock(), Duration.ofSeconds(2)).holder())
			.isEqualTo(follower.id());
		assertThat(cluster.history().overlaps(System.nanoTime())).isEmpty();
	}

	@Test
	void leaderCutOffFromTheStoreStepsDownByItsDeadlineWhileItsRenewalHangs() {
		ElectionCluster cluster = startCluster(3);
		ElectionOptions options = cluster.options();
		Node leader = awaitSingleLeader(cluster, Timing.scaled(options.failoverBound().multipliedBy(2)));
		long epoch = leader.elector.epoch();
		long cut = System.nanoTime();
		leader.faulty.cut();
		await().atMost(options.validity().plus(Timing.seconds(1)))
			.pollInterval(Duration.ofMillis(5))
			.until(() -> !leader.elector.isLeader());
		Duration believedFor = Duration.ofNanos(System.nanoTime() - cut);
		assertThat(believedFor).as("belief after the cut").isLessThanOrEqualTo(options.validity().plusMillis(50));
		Term term = cluster.history()
			.terms()
			.stream()
			.filter((t) -> t.node.equals(leader.id()) && t.epoch == epoch)
			.findFirst()
			.orElseThrow();
		await().atMost(Duration.ofSeconds(2)).until(() -> term.end() != null);
		assertThat(term.reason()).isEqualTo("DEADLINE");
		assertThat(term.end() - cut).isLessThanOrEqualTo(options.validity().toNanos());
		Node successor = awaitSingleLeader(cluster, options.failoverBound().plus(Timing.seconds(2)));
		assertThat(successor).isNotEqualTo(leader);
		assertThat(successor.elector.epoch()).isGreaterThan(epoch);
		assertThat(this.store.leases().renew(cluster.lock(), leader.elector.incarnation(), epoch, Duration.ofSeconds(5)))
			.as("the cut-off leader's late renewal").isFalse();
		assertThat(cluster.history().overlaps(System.nanoTime())).isEmpty();
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
