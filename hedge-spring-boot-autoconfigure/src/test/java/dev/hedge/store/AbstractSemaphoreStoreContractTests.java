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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.hedge.election.Fence;
import dev.hedge.election.FencedException;
import dev.hedge.election.LeaseClaim;
import dev.hedge.kv.LogQuery;
import dev.hedge.semaphore.SemaphoreRows;
import dev.hedge.semaphore.SemaphoreStore;
import dev.hedge.semaphore.SemaphoreStore.Grant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The {@link SemaphoreStore} contract, run against every backend by a subclass that opens the store. */
abstract class AbstractSemaphoreStoreContractTests {

	static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final HedgeStore store;

	private final String lock = "sem-lock-" + UUID.randomUUID();

	private Fence fence;

	AbstractSemaphoreStoreContractTests(HedgeStore store) {
		this.store = store;
	}

	@BeforeAll
	void takeLease() {
		LeaseClaim claim = new LeaseClaim("leader:1", UUID.randomUUID().toString(), 60_000, 1_000);
		this.fence = new Fence(this.lock, this.store.leases().tryAcquire(this.lock, claim, TIMEOUT).record().epoch());
	}

	@AfterAll
	void closeStore() {
		this.store.close();
	}

	SemaphoreStore semaphores() {
		return this.store.semaphores();
	}

	static String name() {
		return "sem-" + UUID.randomUUID();
	}

	static String id() {
		return UUID.randomUUID().toString();
	}

	@Test
	void defineCreatesOnceAndReportsTheStoredLimit() {
		String name = name();
		assertThat(semaphores().limit(this.lock, name, TIMEOUT)).isEmpty();
		assertThat(semaphores().define(this.fence, name, 2, "leader:1", TIMEOUT)).isEqualTo(2);
		assertThat(semaphores().define(this.fence, name, 5, "leader:1", TIMEOUT)).isEqualTo(2);
		assertThat(semaphores().limit(this.lock, name, TIMEOUT)).hasValue(2);
	}

	@Test
	void grantsUpToTheLimitThenReportsFullAndGrantingAgainIsIdempotent() {
		String name = name();
		semaphores().define(this.fence, name, 2, "leader:1", TIMEOUT);
		String first = id();
		Grant a = semaphores().grant(this.fence, name, first, "m1:1", "leader:1", TIMEOUT);
		Grant b = semaphores().grant(this.fence, name, id(), "m2:1", "leader:1", TIMEOUT);
		Grant c = semaphores().grant(this.fence, name, id(), "m3:1", "leader:1", TIMEOUT);
		assertThat(a.status()).isEqualTo(Grant.Status.GRANTED);
		assertThat(b.status()).isEqualTo(Grant.Status.GRANTED);
		assertThat(c.status()).isEqualTo(Grant.Status.FULL);
		assertThat(b.committedAt()).isAfter(a.committedAt());
		Grant again = semaphores().grant(this.fence, name, first, "m1:1", "leader:1", TIMEOUT);
		assertThat(again.status()).isEqualTo(Grant.Status.GRANTED);
		assertThat(again.committedAt()).isEqualTo(a.committedAt());
		assertThat(a.created()).isTrue();
		assertThat(again.created()).as("a repeated grant creates nothing").isFalse();
		assertThat(semaphores().permits(this.lock, name, TIMEOUT)).hasSize(2)
			.extracting(SemaphoreStore.PermitRecord::holder)
			.containsExactlyInAnyOrder("m1:1", "m2:1");
	}

	@Test
	void grantOnAnUndefinedSemaphoreIsNotFound() {
		assertThat(semaphores().grant(this.fence, name(), id(), "m1:1", "leader:1", TIMEOUT).status())
			.isEqualTo(Grant.Status.NOT_FOUND);
	}

	@Test
	void revokeFreesOnePermitAndRevokingTwiceFindsNothing() {
		String name = name();
		semaphores().define(this.fence, name, 1, "leader:1", TIMEOUT);
		String permit = id();
		semaphores().grant(this.fence, name, permit, "m1:1", "leader:1", TIMEOUT);
		assertThat(semaphores().revoke(this.fence, name, permit, TIMEOUT)).isPresent();
		assertThat(semaphores().revoke(this.fence, name, permit, TIMEOUT)).isEmpty();
		assertThat(semaphores().grant(this.fence, name, id(), "m2:1", "leader:1", TIMEOUT).status())
			.isEqualTo(Grant.Status.GRANTED);
	}

	@Test
	void aReclaimDeletesExactlyItsSnapshotNeverAPermitGrantedAfterIt() {
		String s1 = name();
		String s2 = name();
		semaphores().define(this.fence, s1, 3, "leader:1", TIMEOUT);
		semaphores().define(this.fence, s2, 3, "leader:1", TIMEOUT);
		String dead = "dead-" + UUID.randomUUID() + ":1";
		semaphores().grant(this.fence, s1, id(), dead, "leader:1", TIMEOUT);
		semaphores().grant(this.fence, s1, id(), dead, "leader:1", TIMEOUT);
		semaphores().grant(this.fence, s2, id(), dead, "leader:1", TIMEOUT);
		semaphores().grant(this.fence, s1, id(), "alive:1", "leader:1", TIMEOUT);
		List<SemaphoreStore.PermitRecord> snapshot = semaphores().permitsOf(this.lock, dead, TIMEOUT);
		assertThat(snapshot).hasSize(3);
		// the member is re-admitted and granted a permit after the leader read its permits
		String later = id();
		semaphores().grant(this.fence, s2, later, dead, "leader:1", TIMEOUT);
		List<SemaphoreStore.Revoked> revoked = semaphores().revokeExactly(this.fence, snapshot, TIMEOUT);
		assertThat(revoked).extracting(SemaphoreStore.Revoked::permit).containsExactlyInAnyOrderElementsOf(snapshot);
		assertThat(semaphores().permits(this.lock, s1, TIMEOUT)).extracting(SemaphoreStore.PermitRecord::holder)
			.containsExactly("alive:1");
		assertThat(semaphores().permitsOf(this.lock, dead, TIMEOUT)).extracting(SemaphoreStore.PermitRecord::permitId)
			.containsExactly(later);
		assertThat(semaphores().revokeExactly(this.fence, snapshot, TIMEOUT)).as("already gone").isEmpty();
	}

	@Test
	void twoGroupsSharingTheTablesNeverSeeCountOrReclaimEachOthersPermits() throws Exception {
		String otherGroup = "sem-other-" + UUID.randomUUID();
		LeaseClaim claim = new LeaseClaim("other:1", UUID.randomUUID().toString(), 60_000, 1_000);
		Fence other = new Fence(otherGroup,
				this.store.leases().tryAcquire(otherGroup, claim, TIMEOUT).record().epoch());
		String name = name();
		semaphores().define(this.fence, name, 1, "leader:1", TIMEOUT);
		assertThat(semaphores().limit(otherGroup, name, TIMEOUT)).as("a definition is per group").isEmpty();
		semaphores().define(other, name, 1, "other:1", TIMEOUT);
		// limit 1 in each group, contended from both at once: each group grants exactly one
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			CyclicBarrier start = new CyclicBarrier(8);
			List<Future<Grant>> grants = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				Fence fence = (i % 2 == 0) ? this.fence : other;
				int holder = i;
				grants.add(pool.submit(() -> {
					start.await();
					return semaphores().grant(fence, name, id(), "m" + holder + ":1", "leader:1", Duration.ofSeconds(30));
				}));
			}
			for (Future<Grant> grant : grants) {
				grant.get();
			}
		}
		finally {
			pool.shutdownNow();
		}
		List<SemaphoreStore.PermitRecord> mine = semaphores().permits(this.lock, name, TIMEOUT);
		List<SemaphoreStore.PermitRecord> theirs = semaphores().permits(otherGroup, name, TIMEOUT);
		assertThat(mine).hasSize(1);
		assertThat(theirs).hasSize(1);
		assertThat(semaphores().allPermits(this.lock, TIMEOUT)).doesNotContainAnyElementsOf(theirs);
		assertThat(semaphores().allPermits(otherGroup, TIMEOUT)).containsExactlyElementsOf(theirs);
		// a reclaim under this group's fence cannot delete the other group's permit
		assertThat(semaphores().revokeExactly(this.fence, theirs, TIMEOUT)).isEmpty();
		assertThat(semaphores().permits(otherGroup, name, TIMEOUT)).containsExactlyElementsOf(theirs);
	}

	@Test
	void grantTimestampsStrictlyIncreaseAcrossLeaderChangesSoTheyFencePermitHolders() {
		String group = "sem-tokens-" + UUID.randomUUID();
		LeaseClaim first = new LeaseClaim("a:1", UUID.randomUUID().toString(), 60_000, 1_000);
		long epoch = this.store.leases().tryAcquire(group, first, TIMEOUT).record().epoch();
		Fence a = new Fence(group, epoch);
		String name = name();
		semaphores().define(a, name, 1, "a:1", TIMEOUT);
		String x = id();
		Grant granted = semaphores().grant(a, name, x, "x:1", "a:1", TIMEOUT);
		// the holder is declared dead and its permit reclaimed by another leader, which grants the slot to y
		this.store.leases().release(group, first.incarnation(), epoch, TIMEOUT);
		LeaseClaim second = new LeaseClaim("b:1", UUID.randomUUID().toString(), 60_000, 1_000);
		Fence b = new Fence(group, this.store.leases().tryAcquire(group, second, TIMEOUT).record().epoch());
		assertThat(semaphores().revokeExactly(b, semaphores().permits(group, name, TIMEOUT), TIMEOUT)).hasSize(1);
		Grant successor = semaphores().grant(b, name, id(), "y:1", "b:1", TIMEOUT);
		assertThat(successor.committedAt()).isAfter(granted.committedAt());
	}

	@Test
	void staleFenceGrantsAndRevokesNothing() {
		String name = name();
		semaphores().define(this.fence, name, 1, "leader:1", TIMEOUT);
		String permit = id();
		semaphores().grant(this.fence, name, permit, "m1:1", "leader:1", TIMEOUT);
		Fence stale = new Fence(this.fence.lockName(), this.fence.epoch() - 1);
		assertThatExceptionOfType(FencedException.class)
			.isThrownBy(() -> semaphores().grant(stale, name, id(), "m2:1", "leader:1", TIMEOUT));
		assertThatExceptionOfType(FencedException.class)
			.isThrownBy(() -> semaphores().revoke(stale, name, permit, TIMEOUT));
		assertThatExceptionOfType(FencedException.class)
			.isThrownBy(() -> semaphores().define(stale, name(), 1, "leader:1", TIMEOUT));
		assertThat(semaphores().permits(this.lock, name, TIMEOUT)).extracting(SemaphoreStore.PermitRecord::permitId)
			.containsExactly(permit);
	}

	@Test
	void semaphoreRowsAreInvisibleToTheUserKeySpaceButLiveInTheLogTable() {
		String name = name();
		semaphores().define(this.fence, name, 1, "leader:1", TIMEOUT);
		assertThat(this.store.log().read(SemaphoreRows.key(this.lock, name), LogQuery.all(), TIMEOUT)).hasSize(1);
	}

	@Test
	void awkwardNamesAndHoldersRoundTripByteForByte() {
		for (String name : List.of("it's \"q\"", "-- x", "/* y */", "b\\s\\\\", "'; DELETE FROM hedge_log; --",
				"naïve 漢字 🚀", "%_")) {
			semaphores().define(this.fence, name, 1, "leader:1", TIMEOUT);
			String holder = "h'" + name;
			assertThat(semaphores().grant(this.fence, name, id(), holder, "leader:1", TIMEOUT).status())
				.isEqualTo(Grant.Status.GRANTED);
			assertThat(semaphores().permits(this.lock, name, TIMEOUT)).singleElement().satisfies((p) -> {
				assertThat(p.semaphore()).isEqualTo(name);
				assertThat(p.holder()).isEqualTo(holder);
			});
			assertThat(semaphores().limit(this.lock, name, TIMEOUT)).hasValue(1);
		}
	}

	@Test
	void concurrentGrantsNeverExceedTheLimit() throws Exception {
		String name = name();
		semaphores().define(this.fence, name, 2, "leader:1", TIMEOUT);
		int contenders = 8;
		ExecutorService pool = Executors.newFixedThreadPool(contenders);
		try {
			CyclicBarrier start = new CyclicBarrier(contenders);
			List<Future<Grant>> grants = new ArrayList<>();
			for (int i = 0; i < contenders; i++) {
				int holder = i;
				grants.add(pool.submit(() -> {
					start.await();
					return semaphores().grant(this.fence, name, id(), "m" + holder + ":1", "leader:1",
							Duration.ofSeconds(30));
				}));
			}
			long granted = 0;
			for (Future<Grant> grant : grants) {
				if (grant.get().status() == Grant.Status.GRANTED) {
					granted++;
				}
			}
			assertThat(granted).isEqualTo(2);
			assertThat(semaphores().permits(this.lock, name, TIMEOUT)).hasSize(2);
		}
		finally {
			pool.shutdownNow();
		}
	}

}
