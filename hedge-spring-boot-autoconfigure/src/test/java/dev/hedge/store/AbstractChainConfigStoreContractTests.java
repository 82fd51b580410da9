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

import dev.hedge.chain.ChainConfig;
import dev.hedge.chain.ChainConfigConflictException;
import dev.hedge.chain.ChainConfigStore;
import dev.hedge.chain.ChainMember;
import dev.hedge.election.Fence;
import dev.hedge.election.FencedException;
import dev.hedge.election.LeaseClaim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The {@link ChainConfigStore} contract, run against every backend by a subclass that opens the store. */
abstract class AbstractChainConfigStoreContractTests {

	static final Duration TIMEOUT = Duration.ofSeconds(10);

	static final String CHAIN = ChainConfigStore.DEFAULT_CHAIN;

	private final HedgeStore store;

	AbstractChainConfigStoreContractTests(HedgeStore store) {
		this.store = store;
	}

	@AfterAll
	void closeStore() {
		this.store.close();
	}

	ChainConfigStore configs() {
		return this.store.chainConfigs();
	}

	/** A new group and its leader's fence. */
	private Fence lead() {
		String group = "chain-group-" + UUID.randomUUID();
		return lead(group, new LeaseClaim("leader:1", UUID.randomUUID().toString(), 60_000, 1_000));
	}

	private Fence lead(String group, LeaseClaim claim) {
		long epoch = this.store.leases().tryAcquire(group, claim, TIMEOUT).record().epoch();
		return new Fence(group, epoch, claim.incarnation());
	}

	static ChainMember member(int port) {
		return new ChainMember("10.0.0." + port + ":" + (9000 + port), UUID.randomUUID().toString(), port % 2 == 0);
	}

	@BeforeAll
	void storeExists() {
		assertThat(this.store.chainConfigs()).isNotNull();
	}

	@Test
	void aGroupWithoutConfigurationReadsEmpty() {
		assertThat(configs().read("chain-none-" + UUID.randomUUID(), CHAIN, TIMEOUT)).isEmpty();
	}

	@Test
	void theFirstConfigurationIsVersionOneAndReadsBackExactly() {
		Fence fence = lead();
		ChainConfig first = ChainConfig.NONE.next(fence.epoch(), List.of(member(1), member(2), member(3)), member(4));
		configs().write(fence, CHAIN, first, "leader:1", TIMEOUT);
		assertThat(configs().read(fence.lockName(), CHAIN, TIMEOUT)).hasValue(first);
	}

	@Test
	void eachWriteMustFollowTheStoredVersionByOne() {
		Fence fence = lead();
		ChainConfig first = ChainConfig.NONE.next(fence.epoch(), List.of(member(1)), null);
		assertThatExceptionOfType(ChainConfigConflictException.class)
			.isThrownBy(() -> configs().write(fence, CHAIN, first.next(fence.epoch(), List.of(), null), "leader:1",
					TIMEOUT))
			.satisfies((ex) -> assertThat(ex.getStoredVersion()).isZero());
		configs().write(fence, CHAIN, first, "leader:1", TIMEOUT);
		ChainConfig second = first.next(fence.epoch(), List.of(member(1), member(2)), null);
		configs().write(fence, CHAIN, second, "leader:1", TIMEOUT);
		assertThatExceptionOfType(ChainConfigConflictException.class).as("the same version twice")
			.isThrownBy(() -> configs().write(fence, CHAIN, second, "leader:1", TIMEOUT))
			.satisfies((ex) -> assertThat(ex.getStoredVersion()).isEqualTo(2));
		assertThatExceptionOfType(ChainConfigConflictException.class).as("an older version")
			.isThrownBy(() -> configs().write(fence, CHAIN, first, "leader:1", TIMEOUT));
		assertThatExceptionOfType(ChainConfigConflictException.class).as("a gap")
			.isThrownBy(() -> configs().write(fence, CHAIN, second.next(1, List.of(), null).next(1, List.of(), null),
					"leader:1", TIMEOUT));
		assertThat(configs().read(fence.lockName(), CHAIN, TIMEOUT)).hasValue(second);
	}

	@Test
	void aDeposedLeaderWritesNothingAndItsSuccessorContinuesFromTheStoredVersion() throws Exception {
		String group = "chain-group-" + UUID.randomUUID();
		LeaseClaim first = new LeaseClaim("leader:1", UUID.randomUUID().toString(), 1_000, 1_000);
		Fence old = lead(group, first);
		ChainConfig v1 = ChainConfig.NONE.next(old.epoch(), List.of(member(1), member(2)), null);
		configs().write(old, CHAIN, v1, "leader:1", TIMEOUT);
		LeaseClaim second = new LeaseClaim("leader:2", UUID.randomUUID().toString(), 60_000, 1_000);
		Fence fresh = null;
		long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
		while (fresh == null && System.nanoTime() < until) {
			var result = this.store.leases().tryAcquire(group, second, TIMEOUT);
			if (result.acquired()) {
				fresh = new Fence(group, result.record().epoch(), second.incarnation());
			}
			else {
				Thread.sleep(100);
			}
		}
		assertThat(fresh).as("the second leader took over after the first lease lapsed").isNotNull();
		Fence stale = old;
		assertThatExceptionOfType(FencedException.class)
			.isThrownBy(() -> configs().write(stale, CHAIN, v1.next(stale.epoch(), List.of(member(2)), null),
					"leader:1", TIMEOUT));
		assertThat(configs().read(group, CHAIN, TIMEOUT)).hasValue(v1);
		ChainConfig v2 = v1.next(fresh.epoch(), List.of(member(2)), member(3));
		configs().write(fresh, CHAIN, v2, "leader:2", TIMEOUT);
		assertThat(configs().read(group, CHAIN, TIMEOUT)).hasValue(v2);
		assertThat(v2.epoch()).isGreaterThan(v1.epoch());
	}

	@Test
	void aReleasedLeaseFencesItsHolder() {
		String group = "chain-group-" + UUID.randomUUID();
		LeaseClaim claim = new LeaseClaim("leader:1", UUID.randomUUID().toString(), 60_000, 1_000);
		Fence fence = lead(group, claim);
		assertThat(this.store.leases().release(group, claim.incarnation(), fence.epoch(), TIMEOUT)).isTrue();
		assertThatExceptionOfType(FencedException.class).isThrownBy(() -> configs().write(fence, CHAIN,
				ChainConfig.NONE.next(fence.epoch(), List.of(member(1)), null), "leader:1", TIMEOUT));
		assertThat(configs().read(group, CHAIN, TIMEOUT)).isEmpty();
	}

	@Test
	void anotherIncarnationWithTheSameEpochIsFenced() {
		Fence fence = lead();
		Fence impostor = new Fence(fence.lockName(), fence.epoch(), UUID.randomUUID().toString());
		assertThatExceptionOfType(FencedException.class).isThrownBy(() -> configs().write(impostor, CHAIN,
				ChainConfig.NONE.next(fence.epoch(), List.of(member(1)), null), "leader:1", TIMEOUT));
	}

	@Test
	void groupsAndChainsAreIndependent() {
		Fence a = lead();
		Fence b = lead();
		ChainConfig ofA = ChainConfig.NONE.next(a.epoch(), List.of(member(1)), null);
		ChainConfig ofB = ChainConfig.NONE.next(b.epoch(), List.of(member(2), member(3)), null);
		ChainConfig other = ChainConfig.NONE.next(a.epoch(), List.of(member(4)), null);
		configs().write(a, CHAIN, ofA, "leader:1", TIMEOUT);
		configs().write(b, CHAIN, ofB, "leader:1", TIMEOUT);
		configs().write(a, "second", other, "leader:1", TIMEOUT);
		assertThat(configs().read(a.lockName(), CHAIN, TIMEOUT)).hasValue(ofA);
		assertThat(configs().read(b.lockName(), CHAIN, TIMEOUT)).hasValue(ofB);
		assertThat(configs().read(a.lockName(), "second", TIMEOUT)).hasValue(other);
	}

	@Test
	void racingWritesOfOneVersionStoreExactlyOne() throws Exception {
		Fence fence = lead();
		configs().write(fence, CHAIN, ChainConfig.NONE.next(fence.epoch(), List.of(member(1)), null), "l", TIMEOUT);
		ChainConfig v1 = configs().read(fence.lockName(), CHAIN, TIMEOUT).orElseThrow();
		int writers = 4;
		CyclicBarrier start = new CyclicBarrier(writers);
		ExecutorService pool = Executors.newFixedThreadPool(writers);
		try {
			List<Future<ChainConfig>> results = new ArrayList<>();
			for (int i = 0; i < writers; i++) {
				ChainConfig candidate = v1.next(fence.epoch(), List.of(member(1), member(10 + i)), null);
				results.add(pool.submit(() -> {
					start.await();
					try {
						configs().write(fence, CHAIN, candidate, "l", TIMEOUT);
						return candidate;
					}
					catch (ChainConfigConflictException ex) {
						return null;
					}
				}));
			}
			List<ChainConfig> won = new ArrayList<>();
			for (Future<ChainConfig> result : results) {
				ChainConfig config = result.get();
				if (config != null) {
					won.add(config);
				}
			}
			assertThat(won).hasSize(1);
			assertThat(configs().read(fence.lockName(), CHAIN, TIMEOUT)).hasValue(won.get(0));
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void aLargeChainRoundTrips() {
		Fence fence = lead();
		List<ChainMember> members = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			members.add(member(i));
		}
		ChainConfig config = ChainConfig.NONE.next(fence.epoch(), members, null);
		configs().write(fence, CHAIN, config, "leader:1", TIMEOUT);
		assertThat(configs().read(fence.lockName(), CHAIN, TIMEOUT)).hasValue(config);
	}

}
