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
		assertThat(semaphores().limit(name, TIMEOUT)).isEmpty();
		assertThat(semaphores().define(this.fence, name, 2, "leader:1", TIMEOUT)).isEqualTo(2);
		assertThat(semaphores().define(this.fence, name, 5, "leader:1", TIMEOUT)).isEqualTo(2);
		assertThat(semaphores().limit(name, TIMEOUT)).hasValue(2);
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
		assertThat(semaphores().permits(name, TIMEOUT)).hasSize(2)
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
	void revokeHolderTakesEveryPermitOfThatMemberOnly() {
		String s1 = name();
		String s2 = name();
		semaphores().define(this.fence, s1, 3, "leader:1", TIMEOUT);
		semaphores().define(this.fence, s2, 3, "leader:1", TIMEOUT);
		String dead = "dead-" + UUID.randomUUID() + ":1";
		semaphores().grant(this.fence, s1, id(), dead, "leader:1", TIMEOUT);
		semaphores().grant(this.fence, s1, id(), dead, "leader:1", TIMEOUT);
		semaphores().grant(this.fence, s2, id(), dead, "leader:1", TIMEOUT);
		semaphores().grant(this.fence, s1, id(), "alive:1", "leader:1", TIMEOUT);
		List<SemaphoreStore.Revoked> revoked = semaphores().revokeHolder(this.fence, dead, TIMEOUT);
		assertThat(revoked).hasSize(3).allSatisfy((r) -> assertThat(r.permit().holder()).isEqualTo(dead));
		assertThat(semaphores().permits(s1, TIMEOUT)).extracting(SemaphoreStore.PermitRecord::holder)
			.containsExactly("alive:1");
		assertThat(semaphores().permits(s2, TIMEOUT)).isEmpty();
		assertThat(semaphores().allPermits(TIMEOUT)).noneMatch((p) -> p.holder().equals(dead));
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
		assertThat(semaphores().permits(name, TIMEOUT)).extracting(SemaphoreStore.PermitRecord::permitId)
			.containsExactly(permit);
	}

	@Test
	void semaphoreRowsAreInvisibleToTheUserKeySpaceButLiveInTheLogTable() {
		String name = name();
		semaphores().define(this.fence, name, 1, "leader:1", TIMEOUT);
		assertThat(this.store.log().read(SemaphoreRows.key(name), LogQuery.all(), TIMEOUT)).hasSize(1);
	}

	@Test
	void awkwardNamesAndHoldersRoundTripByteForByte() {
		for (String name : List.of("it's \"q\"", "-- x", "/* y */", "b\\s\\\\", "'; DELETE FROM hedge_log; --",
				"naïve 漢字 🚀", "%_")) {
			semaphores().define(this.fence, name, 1, "leader:1", TIMEOUT);
			String holder = "h'" + name;
			assertThat(semaphores().grant(this.fence, name, id(), holder, "leader:1", TIMEOUT).status())
				.isEqualTo(Grant.Status.GRANTED);
			assertThat(semaphores().permits(name, TIMEOUT)).singleElement().satisfies((p) -> {
				assertThat(p.semaphore()).isEqualTo(name);
				assertThat(p.holder()).isEqualTo(holder);
			});
			assertThat(semaphores().limit(name, TIMEOUT)).hasValue(1);
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
			assertThat(semaphores().permits(name, TIMEOUT)).hasSize(2);
		}
		finally {
			pool.shutdownNow();
		}
	}

}
