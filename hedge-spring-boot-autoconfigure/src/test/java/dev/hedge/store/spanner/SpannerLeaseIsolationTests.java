package dev.hedge.store.spanner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.hedge.common.StoreException;
import dev.hedge.election.LeaseClaim;
import dev.hedge.kv.LogQuery;
import dev.hedge.testsupport.SpannerEmulatorExtension;
import dev.hedge.testsupport.SpannerTestDatabase;
import dev.hedge.testsupport.Stores;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Lease calls have threads of their own: with every general call thread busy (64 application reads stuck on a slow
 * database), the leader still renews. Sharing one pool, renewals failed with "all call threads are busy" and the
 * leader stepped down.
 */
@ExtendWith(SpannerEmulatorExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpannerLeaseIsolationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final SpannerHedgeStore store;

	SpannerLeaseIsolationTests(SpannerTestDatabase database) {
		this.store = (SpannerHedgeStore) Stores.spanner(database);
	}

	@Test
	void renewalsGoOnWhileApplicationCallsFillTheGeneralPool() {
		String lock = "iso-" + UUID.randomUUID();
		LeaseClaim claim = new LeaseClaim("leader:1", UUID.randomUUID().toString(), 10_000, 1_000);
		long epoch = this.store.leases().tryAcquire(lock, claim, TIMEOUT).record().epoch();
		CountDownLatch slow = new CountDownLatch(1);
		List<CompletableFuture<Void>> stuck = new ArrayList<>();
		try {
			for (int i = 0; i < SpannerCalls.MAX_WORKERS; i++) {
				stuck.add(CompletableFuture.runAsync(() -> this.store.generalCalls().call("slow read",
						Duration.ofSeconds(30), () -> {
							try {
								slow.await();
							}
							catch (InterruptedException ex) {
								Thread.currentThread().interrupt();
							}
							return null;
						})));
			}
			await().atMost(Duration.ofSeconds(20))
				.untilAsserted(() -> assertThatExceptionOfType(StoreException.class)
					.isThrownBy(() -> this.store.log().read("k", LogQuery.latest(), TIMEOUT))
					.withMessageContaining("busy"));
			for (int i = 0; i < 5; i++) {
				assertThat(this.store.leases().renew(lock, claim.incarnation(), epoch, TIMEOUT)).isTrue();
				assertThat(this.store.leases().read(lock, TIMEOUT).epoch()).isEqualTo(epoch);
			}
		}
		finally {
			slow.countDown();
			stuck.forEach(CompletableFuture::join);
			this.store.close();
		}
	}

}
