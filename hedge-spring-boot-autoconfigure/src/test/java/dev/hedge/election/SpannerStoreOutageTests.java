package dev.hedge.election;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.google.cloud.spanner.DatabaseId;
import com.google.cloud.spanner.Spanner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import dev.hedge.store.HedgeStore;
import dev.hedge.store.TableNames;
import dev.hedge.store.spanner.SpannerHedgeStore;
import dev.hedge.testsupport.Ci;
import dev.hedge.testsupport.ElectionCluster;
import dev.hedge.testsupport.FaultProxy;
import dev.hedge.testsupport.LeadershipHistory;
import dev.hedge.testsupport.SpannerEmulator;
import dev.hedge.testsupport.Timing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The store goes away under a leader: (1) the whole emulator is paused with SIGSTOP while a renewal is in flight;
 * (2) only the leader's link to the emulator is blackholed by a proxy while followers still reach it. In both the
 * leader stops believing by its deadline, and its late renewal changes 0 rows.
 */
class SpannerStoreOutageTests {

	private static final ElectionOptions OPTIONS = ElectionCluster.TEST_OPTIONS.toBuilder()
		.storeTimeout(Duration.ofSeconds(5))
		.build();

	private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
	}

	private <T extends AutoCloseable> T track(T resource) {
		this.resources.add(resource);
		return resource;
	}

	private SpannerEmulator privateEmulator() {
		if (!SpannerEmulator.binaryAvailable()) {
			String message = "*** SpannerStoreOutageTests needs the emulator_main binary to pause a private emulator";
			if (Ci.isCi()) {
				throw new IllegalStateException(message);
			}
			System.err.println(message + " -- SKIPPED ***");
			Assumptions.abort(message);
		}
		return track(SpannerEmulator.startPrivate());
	}

	private HedgeStore store(Spanner spanner, DatabaseId id) {
		return track(SpannerHedgeStore.open(spanner.getDatabaseClient(id), spanner.getDatabaseAdminClient(), id,
				TableNames.defaults(), true));
	}

	@Test
	void pausedEmulatorMakesTheLeaderStepDownByItsDeadlineAndItsLateRenewalChangesNothing() {
		SpannerEmulator emulator = privateEmulator();
		DatabaseId id = emulator.createDatabase("pause");
		HedgeStore store = store(emulator.spanner(), id);
		List<long[]> renewals = new CopyOnWriteArrayList<>();
		List<String> late = new CopyOnWriteArrayList<>();
		ElectionObserver observer = new ElectionObserver() {
			@Override
			public void renewal(long epoch, RenewalOutcome outcome, long latencyNanos, boolean isLate) {
				renewals.add(new long[] { System.nanoTime(), epoch });
				if (isLate) {
					late.add(epoch + ":" + outcome);
				}
			}
		};
		LeadershipHistory history = new LeadershipHistory();
		LeaderElector leader = track(new LeaderElector("pause-group", "127.0.0.1:1", store.leases(), OPTIONS,
				dev.hedge.common.Ticker.system(), observer));
		leader.addListener(history.listener());
		leader.start();
		await().atMost(Timing.seconds(10)).until(leader::isLeader);
		long epoch = leader.epoch();
		int seen = renewals.size();
		await().atMost(Timing.seconds(5)).until(() -> renewals.size() > seen);
		long pausedAt = System.nanoTime();
		emulator.pause();
		try {
			await().atMost(OPTIONS.validity().plus(Timing.seconds(1)))
				.pollInterval(Duration.ofMillis(5))
				.until(() -> !leader.isLeader());
			long stopped = System.nanoTime();
			long lastRenewal = renewals.get(renewals.size() - 1)[0];
			assertThat(Duration.ofNanos(stopped - lastRenewal))
				.as("belief after the last committed renewal")
				.isLessThanOrEqualTo(OPTIONS.validity().plusMillis(100));
			// keep the emulator paused past the lease so the in-flight renewal arrives after expiry
			long resumeAt = lastRenewal + OPTIONS.leaseDuration().toNanos() + Duration.ofMillis(300).toNanos();
			while (System.nanoTime() < resumeAt) {
				AbstractElectionClusterTests.sleep(10);
			}
		}
		finally {
			emulator.resume();
		}
		await().atMost(Timing.seconds(10)).until(() -> !late.isEmpty());
		assertThat(late).as("late renewals").containsExactly(epoch + ":LOST");
		System.out.printf("[%s] emulator paused %d ms; leader epoch %d stepped down; late renewal: %s%n",
				getClass().getSimpleName(), (System.nanoTime() - pausedAt) / 1_000_000, epoch, late);
		await().atMost(Timing.seconds(10)).until(leader::isLeader);
		assertThat(leader.epoch()).as("a new epoch after recovery").isGreaterThan(epoch);
		assertThat(history.overlaps(System.nanoTime())).isEmpty();
		assertThat(history.terms().get(0).reason()).isEqualTo("DEADLINE");
	}

	@Test
	void blackholedLeaderStepsDownAFollowerTakesOverAndTheOldRenewalChangesNothing() {
		SpannerEmulator emulator = SpannerEmulator.shared().orElse(null);
		if (emulator == null) {
			emulator = privateEmulator();
		}
		DatabaseId id = emulator.createDatabase("blackhole");
		HedgeStore followersStore = store(emulator.spanner(), id);
		FaultProxy proxy = track(FaultProxy.start(emulator.host()));
		Spanner viaProxy = track(SpannerEmulator.newClient(proxy.address()));
		HedgeStore leaderStore = store(viaProxy, id);

		LeadershipHistory history = new LeadershipHistory();
		LeaderElector leader = track(new LeaderElector("bh-group", "127.0.0.1:1", leaderStore.leases(), OPTIONS));
		leader.addListener(history.listener());
		leader.start();
		await().atMost(Timing.seconds(10)).until(leader::isLeader);
		long epoch = leader.epoch();
		LeaderElector follower1 = track(new LeaderElector("bh-group", "127.0.0.1:2", followersStore.leases(), OPTIONS));
		LeaderElector follower2 = track(new LeaderElector("bh-group", "127.0.0.1:3", followersStore.leases(), OPTIONS));
		follower1.addListener(history.listener());
		follower2.addListener(history.listener());
		follower1.start();
		follower2.start();
		await().atMost(Timing.seconds(5))
			.until(() -> follower1.leaderId().isPresent() && follower2.leaderId().isPresent());

		long cut = System.nanoTime();
		proxy.mode(FaultProxy.Mode.BLACKHOLE);
		await().atMost(OPTIONS.validity().plus(Timing.seconds(1)))
			.pollInterval(Duration.ofMillis(5))
			.until(() -> !leader.isLeader());
		assertThat(Duration.ofNanos(System.nanoTime() - cut)).isLessThanOrEqualTo(OPTIONS.validity().plusMillis(100));
		await().atMost(OPTIONS.failoverBound().plus(Timing.seconds(2)))
			.until(() -> follower1.isLeader() || follower2.isLeader());
		LeaderElector successor = follower1.isLeader() ? follower1 : follower2;
		assertThat(successor.epoch()).isGreaterThan(epoch);
		System.out.printf("[%s] leader cut off; successor %s in epoch %d after %d ms%n", getClass().getSimpleName(),
				successor.nodeId(), successor.epoch(), (System.nanoTime() - cut) / 1_000_000);

		proxy.mode(FaultProxy.Mode.RESET);
		proxy.mode(FaultProxy.Mode.PASS);
		// the first call after the reset may fail on the broken connection; the first answer must be "0 rows"
		java.util.concurrent.atomic.AtomicReference<Boolean> renewed = new java.util.concurrent.atomic.AtomicReference<>();
		await().atMost(Timing.seconds(20))
			.ignoreExceptionsInstanceOf(dev.hedge.common.StoreException.class)
			.until(() -> {
				renewed.set(leaderStore.leases().renew("bh-group", leader.incarnation(), epoch, Duration.ofSeconds(5)));
				return true;
			});
		assertThat(renewed.get()).as("the old leader's late renewal changed a row").isFalse();
		assertThat(followersStore.leases().read("bh-group", Duration.ofSeconds(5)).holder())
			.isEqualTo(successor.nodeId());
		assertThat(history.overlaps(System.nanoTime())).isEmpty();
	}

}
