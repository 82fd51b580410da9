package dev.hedge.store;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.hedge.common.Failpoints;
import dev.hedge.election.ElectionOptions;
import dev.hedge.election.Fence;
import dev.hedge.election.LeaderElector;
import dev.hedge.election.LeaseClaim;
import dev.hedge.kv.LogQuery;
import dev.hedge.kv.LogRecord;
import dev.hedge.testsupport.EmbeddedDatabaseExtension;
import dev.hedge.testsupport.EmbeddedTestDatabase;
import dev.hedge.testsupport.FaultyLeaseStore;
import dev.hedge.testsupport.SpannerEmulatorExtension;
import dev.hedge.testsupport.SpannerTestDatabase;
import dev.hedge.testsupport.Stores;
import dev.hedge.testsupport.Timing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The failpoints the chaos suite's negative controls rely on really break what they name (and only while enabled).
 */
@ExtendWith({ EmbeddedDatabaseExtension.class, SpannerEmulatorExtension.class })
class FailpointTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@AfterEach
	void disableAll() {
		Failpoints.disable(Failpoints.SKIP_FENCE_CHECK);
		Failpoints.disable(Failpoints.UNCONDITIONAL_RENEW);
		Failpoints.disable(Failpoints.IGNORE_DEADLINE);
	}

	private static void staleWritesOnlyGoThroughWithSkipFenceCheck(HedgeStore store) {
		String lock = "fp-" + UUID.randomUUID();
		LeaseClaim a = new LeaseClaim("a:1", UUID.randomUUID().toString(), 60_000, 1_000);
		LeaseClaim b = new LeaseClaim("b:1", UUID.randomUUID().toString(), 60_000, 1_000);
		long first = store.leases().tryAcquire(lock, a, TIMEOUT).record().epoch();
		store.leases().release(lock, a.incarnation(), first, TIMEOUT);
		store.leases().tryAcquire(lock, b, TIMEOUT);
		String key = "fp-key-" + UUID.randomUUID();
		Fence stale = new Fence(lock, first);
		LogRecord record = new LogRecord(key, UUID.randomUUID().toString(), "stale", "a:1");
		assertThat(catchFenced(() -> store.log().append(stale, List.of(record), TIMEOUT))).isTrue();
		Failpoints.enable(Failpoints.SKIP_FENCE_CHECK);
		store.log().append(stale, List.of(record), TIMEOUT);
		assertThat(store.log().read(key, LogQuery.all(), TIMEOUT)).hasSize(1);
	}

	private static void staleRenewalsOnlySucceedWithUnconditionalRenew(HedgeStore store) {
		String lock = "fp-" + UUID.randomUUID();
		LeaseClaim a = new LeaseClaim("a:1", UUID.randomUUID().toString(), 60_000, 1_000);
		LeaseClaim b = new LeaseClaim("b:1", UUID.randomUUID().toString(), 60_000, 1_000);
		long first = store.leases().tryAcquire(lock, a, TIMEOUT).record().epoch();
		store.leases().release(lock, a.incarnation(), first, TIMEOUT);
		store.leases().tryAcquire(lock, b, TIMEOUT);
		assertThat(store.leases().renew(lock, a.incarnation(), first, TIMEOUT)).isFalse();
		Failpoints.enable(Failpoints.UNCONDITIONAL_RENEW);
		assertThat(store.leases().renew(lock, a.incarnation(), first, TIMEOUT)).isTrue();
	}

	private static boolean catchFenced(Runnable write) {
		try {
			write.run();
			return false;
		}
		catch (dev.hedge.election.FencedException ex) {
			return true;
		}
	}

	@Test
	void skipFenceCheckOnTheEmbeddedStore(EmbeddedTestDatabase database) {
		try (HedgeStore store = Stores.embedded(database)) {
			staleWritesOnlyGoThroughWithSkipFenceCheck(store);
		}
	}

	@Test
	void skipFenceCheckOnSpanner(SpannerTestDatabase database) {
		try (HedgeStore store = Stores.spanner(database)) {
			staleWritesOnlyGoThroughWithSkipFenceCheck(store);
		}
	}

	@Test
	void unconditionalRenewOnTheEmbeddedStore(EmbeddedTestDatabase database) {
		try (HedgeStore store = Stores.embedded(database)) {
			staleRenewalsOnlySucceedWithUnconditionalRenew(store);
		}
	}

	@Test
	void unconditionalRenewOnSpanner(SpannerTestDatabase database) {
		try (HedgeStore store = Stores.spanner(database)) {
			staleRenewalsOnlySucceedWithUnconditionalRenew(store);
		}
	}

	@Test
	void ignoreDeadlineKeepsACutOffLeaderBelieving(EmbeddedTestDatabase database) {
		try (HedgeStore store = Stores.embedded(database)) {
			FaultyLeaseStore faulty = new FaultyLeaseStore(store.leases());
			ElectionOptions options = dev.hedge.testsupport.ElectionCluster.TEST_OPTIONS;
			try (LeaderElector elector = new LeaderElector("fp-" + UUID.randomUUID(), "a:1", faulty, options)) {
				elector.start();
				await().atMost(Timing.seconds(10)).until(elector::isLeader);
				Failpoints.enable(Failpoints.IGNORE_DEADLINE);
				faulty.cut();
				long cut = System.nanoTime();
				await().during(options.validity().plusMillis(500))
					.atMost(options.validity().plusSeconds(3))
					.until(elector::isLeader);
				assertThat(System.nanoTime() - cut).as("believed past its deadline")
					.isGreaterThan(options.validity().toNanos());
				Failpoints.disable(Failpoints.IGNORE_DEADLINE);
				assertThat(elector.isLeader()).isFalse();
				faulty.heal();
			}
		}
	}

}
