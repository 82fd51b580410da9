package dev.hedge.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import dev.hedge.common.StoreException;
import dev.hedge.election.AcquireResult;
import dev.hedge.election.Fence;
import dev.hedge.election.FencedException;
import dev.hedge.election.LeaseClaim;
import dev.hedge.election.LeaseRecord;
import dev.hedge.election.LeaseStore;
import dev.hedge.kv.LogRecord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The {@link LeaseStore} contract, run against every backend by a subclass that opens the store.
 */
abstract class AbstractLeaseStoreContractTests {

	static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final HedgeStore store;

	AbstractLeaseStoreContractTests(HedgeStore store) {
		this.store = store;
	}

	LeaseStore leases() {
		return this.store.leases();
	}

	@AfterAll
	void closeStore() {
		this.store.close();
	}

	static String lock() {
		return "lock-" + UUID.randomUUID();
	}

	static LeaseClaim claim(String holder) {
		return new LeaseClaim(holder, UUID.randomUUID().toString(), 10_000, 1_000);
	}

	/**
	 * Deletes a lease row behind the store's back, as an operator resetting the table would; backends that cannot
	 * skip the tests that need it.
	 * @param lock the lease row
	 */
	void deleteLeaseRow(String lock) throws Exception {
		Assumptions.abort("this backend's test cannot delete a lease row");
	}

	@Test
	void aFenceFromBeforeTheLeaseRowWasResetIsRefusedThoughItsEpochIsTheSame() throws Exception {
		// review finding Q5: fences compared the epoch only; after a reset epochs start again at 1
		String lock = lock();
		LeaseClaim first = claim("a:1");
		Fence stale = new Fence(lock, leases().tryAcquire(lock, first, TIMEOUT).record().epoch(), first.incarnation());
		deleteLeaseRow(lock);
		LeaseClaim second = claim("b:1");
		long epoch = leases().tryAcquire(lock, second, TIMEOUT).record().epoch();
		assertThat(epoch).as("epochs restart after a reset").isEqualTo(stale.epoch());
		LogRecord record = new LogRecord("fenced-" + UUID.randomUUID(), UUID.randomUUID().toString(), "v", "a:1");
		assertThatExceptionOfType(FencedException.class)
			.isThrownBy(() -> this.store.log().append(stale, List.of(record), TIMEOUT));
		assertThat(this.store.log()
			.append(new Fence(lock, epoch, second.incarnation()), List.of(record), TIMEOUT)).hasSize(1);
	}

	@Test
	void callsOnAnInterruptedThreadFailOnlyAsInterruptedAndLeaveTheStoreWorkingForEveryoneElse() throws Exception {
		// e.g. a caller's task cancelled with interruption. On H2 a file channel touched by an interrupted thread is
		// closed: without the store's guard its writes failed ("Writing to FileChannel failed") and the database was
		// closed and re-opened for every connection
		String lock = lock();
		LeaseClaim a = claim("a:1");
		long epoch = leases().tryAcquire(lock, a, TIMEOUT).record().epoch();
		ExecutorService interrupted = Executors.newSingleThreadExecutor();
		List<String> failures = new ArrayList<>();
		try {
			List<Future<List<String>>> calls = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				String other = lock();
				calls.add(interrupted.submit(() -> {
					List<String> failed = new ArrayList<>();
					Thread.currentThread().interrupt();
					try {
						leases().tryAcquire(other, claim("i:1"), TIMEOUT);
						leases().renew(lock, a.incarnation(), epoch, TIMEOUT);
					}
					catch (StoreException ex) {
						failed.add(ex.getMessage());
					}
					Thread.interrupted();
					return failed;
				}));
			}
			for (Future<List<String>> call : calls) {
				failures.addAll(call.get());
			}
		}
		finally {
			interrupted.shutdown();
		}
		assertThat(failures).as("failures of interrupted calls").allMatch((message) -> message.endsWith("interrupted"));
		assertThat(leases().renew(lock, a.incarnation(), epoch, TIMEOUT)).as("renewal on a healthy thread").isTrue();
		String fresh = lock();
		assertThat(leases().tryAcquire(fresh, claim("b:1"), TIMEOUT).acquired()).isTrue();
		assertThat(leases().read(fresh, TIMEOUT).holder()).isEqualTo("b:1");
	}

	@Test
	void readOfUnknownLockIsAbsent() {
		LeaseRecord record = leases().read(lock(), TIMEOUT);
		assertThat(record.held()).isFalse();
		assertThat(record.epoch()).isZero();
	}

	@Test
	void firstClaimWinsWithEpochOneAndIsVisibleToReaders() {
		String lock = lock();
		LeaseClaim a = claim("a:1");
		AcquireResult result = leases().tryAcquire(lock, a, TIMEOUT);
		assertThat(result.acquired()).isTrue();
		assertThat(result.record().epoch()).isEqualTo(1);
		LeaseRecord read = leases().read(lock, TIMEOUT);
		assertThat(read.holder()).isEqualTo("a:1");
		assertThat(read.incarnation()).isEqualTo(a.incarnation());
		assertThat(read.epoch()).isEqualTo(1);
		assertThat(read.leaseMillis()).isEqualTo(10_000);
		assertThat(read.ageMillis()).isBetween(0L, 5_000L);
		assertThat(read.expired(1_000)).isFalse();
	}

	@Test
	void liveLeaseCannotBeTakenByAnother() {
		String lock = lock();
		assertThat(leases().tryAcquire(lock, claim("a:1"), TIMEOUT).acquired()).isTrue();
		AcquireResult second = leases().tryAcquire(lock, claim("b:1"), TIMEOUT);
		assertThat(second.acquired()).isFalse();
		assertThat(second.record().holder()).isEqualTo("a:1");
		assertThat(leases().read(lock, TIMEOUT).epoch()).isEqualTo(1);
	}

	@Test
	void renewIsConditionalOnIncarnationAndEpoch() {
		String lock = lock();
		LeaseClaim a = claim("a:1");
		long epoch = leases().tryAcquire(lock, a, TIMEOUT).record().epoch();
		assertThat(leases().renew(lock, a.incarnation(), epoch, TIMEOUT)).isTrue();
		assertThat(leases().renew(lock, a.incarnation(), epoch + 1, TIMEOUT)).isFalse();
		assertThat(leases().renew(lock, "someone-else", epoch, TIMEOUT)).isFalse();
		assertThat(leases().renew(lock(), a.incarnation(), epoch, TIMEOUT)).isFalse();
	}

	@Test
	void releaseFreesTheLeaseForAnyoneAtOnceAndKeepsTheEpochIncreasing() {
		String lock = lock();
		LeaseClaim a = claim("a:1");
		assertThat(leases().tryAcquire(lock, a, TIMEOUT).acquired()).isTrue();
		assertThat(leases().release(lock, a.incarnation(), 1, TIMEOUT)).isTrue();
		LeaseRecord released = leases().read(lock, TIMEOUT);
		assertThat(released.held()).isFalse();
		assertThat(released.epoch()).isEqualTo(1);
		// a renewal committing after the release (in flight when the holder closed; the close does not wait for it)
		// cannot take the lease back
		assertThat(leases().renew(lock, a.incarnation(), 1, TIMEOUT)).isFalse();
		assertThat(leases().read(lock, TIMEOUT).held()).isFalse();
		AcquireResult b = leases().tryAcquire(lock, claim("b:1"), TIMEOUT);
		assertThat(b.acquired()).isTrue();
		assertThat(b.record().epoch()).isEqualTo(2);
		assertThat(leases().renew(lock, a.incarnation(), 1, TIMEOUT)).isFalse();
		assertThat(leases().release(lock, a.incarnation(), 1, TIMEOUT)).isFalse();
		assertThat(leases().read(lock, TIMEOUT).holder()).isEqualTo("b:1");
	}

	@Test
	void expiredLeaseIsTakenOverByDatabaseClockAndTheStaleHolderCanNoLongerRenew() {
		String lock = lock();
		LeaseClaim a = new LeaseClaim("a:1", UUID.randomUUID().toString(), 300, 200);
		assertThat(leases().tryAcquire(lock, a, TIMEOUT).acquired()).isTrue();
		LeaseClaim b = new LeaseClaim("b:1", UUID.randomUUID().toString(), 300, 200);
		assertThat(leases().tryAcquire(lock, b, TIMEOUT).acquired()).isFalse();
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> leases().tryAcquire(lock, b, TIMEOUT).acquired());
		LeaseRecord now = leases().read(lock, TIMEOUT);
		assertThat(now.holder()).isEqualTo("b:1");
		assertThat(now.epoch()).isEqualTo(2);
		assertThat(leases().renew(lock, a.incarnation(), 1, TIMEOUT)).as("stale renewal changes 0 rows").isFalse();
	}

	@Test
	void renewalAfterTheLeaseRanOutByTheDatabaseClockChangesNothing() {
		String lock = lock();
		LeaseClaim a = new LeaseClaim("a:1", UUID.randomUUID().toString(), 200, 60_000);
		assertThat(leases().tryAcquire(lock, a, TIMEOUT).acquired()).isTrue();
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> leases().read(lock, TIMEOUT).ageMillis() > 300);
		assertThat(leases().renew(lock, a.incarnation(), 1, TIMEOUT)).isFalse();
		assertThat(leases().tryAcquire(lock, claim("b:1"), TIMEOUT).acquired())
			.as("nobody else may take it before lease + grace").isFalse();
	}

	@Test
	void holderMayRetakeItsOwnLeaseWithANewEpoch() {
		String lock = lock();
		LeaseClaim a = claim("a:1");
		assertThat(leases().tryAcquire(lock, a, TIMEOUT).record().epoch()).isEqualTo(1);
		AcquireResult again = leases().tryAcquire(lock, a, TIMEOUT);
		assertThat(again.acquired()).isTrue();
		assertThat(again.record().epoch()).isEqualTo(2);
		assertThat(leases().renew(lock, a.incarnation(), 1, TIMEOUT)).isFalse();
		assertThat(leases().renew(lock, a.incarnation(), 2, TIMEOUT)).isTrue();
	}

	@Test
	void locksWhoseNamesPrefixEachOtherAreIndependent() {
		String base = lock();
		LeaseClaim a = claim("a:1");
		LeaseClaim b = claim("b:1");
		assertThat(leases().tryAcquire(base, a, TIMEOUT).acquired()).isTrue();
		assertThat(leases().tryAcquire(base + "_x", b, TIMEOUT).acquired()).isTrue();
		assertThat(leases().release(base, a.incarnation(), 1, TIMEOUT)).isTrue();
		assertThat(leases().renew(base + "_x", b.incarnation(), 1, TIMEOUT)).isTrue();
		assertThat(leases().read(base + "_x", TIMEOUT).holder()).isEqualTo("b:1");
	}

	@Test
	void takeoverRaceHasExactlyOneWinnerPerRoundWithStrictlyIncreasingEpochs() throws Exception {
		String lock = lock();
		int contenders = 7;
		int rounds = 20;
		ExecutorService pool = Executors.newFixedThreadPool(contenders);
		try {
			long previousEpoch = 0;
			java.time.Instant previousCommit = java.time.Instant.MIN;
			for (int round = 0; round < rounds; round++) {
				CyclicBarrier start = new CyclicBarrier(contenders);
				List<Future<AcquireResult>> attempts = new ArrayList<>();
				List<LeaseClaim> claims = new ArrayList<>();
				for (int i = 0; i < contenders; i++) {
					LeaseClaim claim = claim("node-" + i + ":1");
					claims.add(claim);
					attempts.add(pool.submit(() -> {
						start.await();
						return leases().tryAcquire(lock, claim, Duration.ofSeconds(30));
					}));
				}
				List<Integer> winners = new ArrayList<>();
				for (int i = 0; i < contenders; i++) {
					AcquireResult result = attempts.get(i).get();
					if (result.acquired()) {
						winners.add(i);
						assertThat(result.record().epoch()).as("round %d epoch", round).isGreaterThan(previousEpoch);
						assertThat(result.committedAt()).as("round %d takeover commit", round).isAfter(previousCommit);
						previousEpoch = result.record().epoch();
						previousCommit = result.committedAt();
					}
				}
				assertThat(winners).as("winners of round %d", round).hasSize(1);
				LeaseClaim winner = claims.get(winners.get(0));
				assertThat(leases().read(lock, TIMEOUT).incarnation()).isEqualTo(winner.incarnation());
				assertThat(leases().release(lock, winner.incarnation(), previousEpoch, TIMEOUT)).isTrue();
			}
			assertThat(previousEpoch).isEqualTo(rounds);
		}
		finally {
			pool.shutdownNow();
		}
	}

}
