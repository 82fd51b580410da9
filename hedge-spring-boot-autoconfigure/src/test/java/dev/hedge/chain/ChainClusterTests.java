package dev.hedge.chain;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.hedge.HedgeNode;
import dev.hedge.TestNodes;
import dev.hedge.membership.MembershipOptions;
import dev.hedge.store.HedgeStore;
import dev.hedge.testsupport.EmbeddedDatabaseExtension;
import dev.hedge.testsupport.EmbeddedTestDatabase;
import dev.hedge.testsupport.Stores;
import dev.hedge.testsupport.Timing;

import static dev.hedge.chain.ChainCluster.bytes;
import static dev.hedge.chain.ChainCluster.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The chain across real nodes on the embedded store: writes from any member, reads everywhere (clean, dirty, local),
 * exactly-once write ids, compare-and-set, repair after a head, middle or tail crash and after a graceful leave,
 * live catch-up of a new member, and the coordinator's failover. Membership: heartbeat 500 ms, timeout 2 s (so a
 * read lease lasts 1.5 s); lease 3 s.
 */
@ExtendWith(EmbeddedDatabaseExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChainClusterTests {

	/** Crash repair bound of the test timings: member timeout + 2 heartbeats, plus slack for a loaded machine. */
	static final Duration CRASH_REPAIR = TestNodes.MEMBERSHIP.memberTimeout()
		.plus(TestNodes.MEMBERSHIP.heartbeatInterval().multipliedBy(2))
		.plus(Timing.seconds(1));

	private final HedgeStore store;

	private ChainCluster cluster;

	ChainClusterTests(EmbeddedTestDatabase database) {
		this.store = Stores.embedded(database);
	}

	@AfterEach
	void stop() {
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	@AfterAll
	void closeStore() {
		this.store.close();
	}

	private List<HedgeNode> chain(int size) {
		this.cluster = new ChainCluster(this.store);
		return this.cluster.startChain(size);
	}

	static String key(String name) {
		return name + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

	@Test
	void writesFromAnyMemberCommitAtTheTailAndReadTheSameEverywhere() {
		List<HedgeNode> nodes = chain(3);
		String key = key("k");
		List<Long> versions = new ArrayList<>();
		for (HedgeNode node : nodes) {
			versions.add(node.chain().write(key, bytes("from " + node.nodeId())));
		}
		assertThat(versions).containsExactly(1L, 2L, 3L);
		for (HedgeNode node : nodes) {
			for (ReadMode mode : ReadMode.values()) {
				ChainValue value = node.chain().read(key, mode).orElseThrow();
				assertThat(value.version()).isEqualTo(3);
				assertThat(text(value)).isEqualTo("from " + nodes.get(2).nodeId());
			}
			assertThat(node.chain().read(key("absent"))).isEmpty();
		}
		await().atMost(Timing.seconds(5))
			.until(() -> nodes.stream().allMatch((node) -> node.chain().state().dirtyKeys() == 0));
		assertThat(nodes).allSatisfy((node) -> assertThat(node.chain().state().keys()).isEqualTo(1));
	}

	@Test
	void aRetriedWriteIdIsAppliedOnceFromAnyMemberAndCompareAndSetChecksTheVersion() {
		List<HedgeNode> nodes = chain(3);
		String key = key("once");
		String writeId = UUID.randomUUID().toString();
		assertThat(nodes.get(0).chain().write(key, bytes("a"), writeId)).isEqualTo(1);
		assertThat(nodes.get(1).chain().write(key, bytes("a"), writeId)).as("a retry elsewhere").isEqualTo(1);
		assertThat(nodes.get(2).chain().write(key, bytes("b"))).isEqualTo(2);
		assertThat(nodes.get(0).chain().write(key, bytes("a"), writeId)).as("a late retry").isEqualTo(1);
		assertThat(text(nodes.get(1).chain().read(key).orElseThrow())).isEqualTo("b");

		String cas = key("cas");
		assertThat(nodes.get(1).chain().compareAndSet(cas, 0, bytes("first"))).isEqualTo(1);
		assertThatExceptionOfType(ChainCompareFailedException.class)
			.isThrownBy(() -> nodes.get(2).chain().compareAndSet(cas, 0, bytes("again")))
			.satisfies((ex) -> assertThat(ex.getCurrentVersion()).isEqualTo(1));
		String casId = UUID.randomUUID().toString();
		assertThat(nodes.get(2).chain().compareAndSet(cas, 1, bytes("second"), casId)).isEqualTo(2);
		assertThat(nodes.get(0).chain().compareAndSet(cas, 1, bytes("second"), casId))
			.as("a retried compare-and-set answers its version instead of failing the comparison")
			.isEqualTo(2);
		assertThat(text(nodes.get(0).chain().read(cas).orElseThrow())).isEqualTo("second");
	}

	@Test
	void concurrentWritersAndReadersNeverSeeAVersionGoBackOrAnAcknowledgedWriteMissing() throws Exception {
		List<HedgeNode> nodes = chain(3);
		String key = key("hot");
		Map<Long, String> written = new ConcurrentHashMap<>();
		AtomicLong acknowledged = new AtomicLong();
		AtomicBoolean done = new AtomicBoolean();
		List<String> problems = new CopyOnWriteArrayList<>();
		ExecutorService pool = Executors.newFixedThreadPool(6);
		try {
			List<Future<?>> tasks = new ArrayList<>();
			for (int w = 0; w < 3; w++) {
				HedgeNode node = nodes.get(w);
				int writer = w;
				tasks.add(pool.submit(() -> {
					for (int i = 0; i < 60; i++) {
						String value = writer + ":" + i;
						long version = node.chain().write(key, bytes(value));
						if (written.putIfAbsent(version, value) != null) {
							problems.add("version " + version + " given twice");
						}
						acknowledged.accumulateAndGet(version, Math::max);
					}
				}));
			}
			for (int r = 0; r < 3; r++) {
				HedgeNode node = nodes.get(r);
				tasks.add(pool.submit(() -> {
					long last = 0;
					while (!done.get()) {
						long floor = acknowledged.get();
						Optional<ChainValue> read = node.chain().read(key);
						long version = read.map(ChainValue::version).orElse(0L);
						if (version < last) {
							problems.add(node.nodeId() + " read version " + version + " after " + last);
						}
						if (version < floor) {
							problems.add(node.nodeId() + " read version " + version + " after " + floor
									+ " was acknowledged");
						}
						read.ifPresent((value) -> {
							String expected = written.get(value.version());
							if (expected != null && !expected.equals(text(value))) {
								problems.add("version " + value.version() + " read as " + text(value) + ", written as "
										+ expected);
							}
						});
						last = version;
					}
				}));
			}
			for (Future<?> task : tasks.subList(0, 3)) {
				task.get(60, TimeUnit.SECONDS);
			}
			done.set(true);
			for (Future<?> task : tasks) {
				task.get(10, TimeUnit.SECONDS);
			}
		}
		finally {
			done.set(true);
			pool.shutdownNow();
		}
		assertThat(problems).isEmpty();
		assertThat(written).hasSize(180).containsKeys(1L, 180L);
		long dirty = nodes.stream().mapToLong((node) -> node.chain().state().stats().dirtyReads()).sum();
		assertThat(dirty).as("some reads found the key dirty and asked the tail").isPositive();
		for (HedgeNode node : nodes) {
			assertThat(node.chain().read(key).orElseThrow().version()).isEqualTo(180);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "head", "middle", "tail" })
	void aCrashedMemberInAnyRoleIsRepairedWithoutLosingAnAcknowledgedWrite(String role) throws Exception {
		List<HedgeNode> nodes = chain(4);
		HedgeNode leader = this.cluster.nodes().leader().orElseThrow();
		HedgeNode victim = nodes.stream()
			.filter((node) -> node.chain().state().role().equals(role))
			.min((a, b) -> Boolean.compare(a == leader, b == leader))
			.orElseThrow();
		Duration repair = repairAfter(nodes, victim, this.cluster.nodes()::halt);
		Duration bound = (victim == leader) ? CRASH_REPAIR.plus(Duration.ofMillis(4500)) : CRASH_REPAIR;
		System.out.printf("chain repair after a %s crash%s: %d ms (bound %d ms)%n", role,
				(victim == leader) ? " (the leader)" : "", repair.toMillis(), bound.toMillis());
		assertThat(repair).isLessThan(bound);
	}

	/**
	 * Issue 18's crash figure at the default membership timings (heartbeat 1 s, member timeout 5 s): the chain is
	 * whole again — a write that started after the crash is acknowledged — within the member timeout plus two
	 * heartbeats, 7 s. The victim is a member that neither leads nor heads the chain (a leader's crash adds the
	 * election's failover).
	 */
	@Test
	void aCrashAtTheDefaultMembershipTimingsIsRepairedWithinSevenSeconds() throws Exception {
		this.cluster = new ChainCluster(this.store);
		List<HedgeNode> nodes = this.cluster.startChain(3, (builder) -> builder.membership(MembershipOptions.DEFAULTS));
		HedgeNode leader = this.cluster.nodes().leader().orElseThrow();
		HedgeNode victim = nodes.stream()
			.filter((node) -> node != leader && !node.chain().state().role().equals("head"))
			.findFirst()
			.orElseThrow();
		String role = victim.chain().state().role();
		Duration repair = repairAfter(nodes, victim, this.cluster.nodes()::halt);
		System.out.printf("chain repair after a %s crash at the default membership timings: %d ms%n", role,
				repair.toMillis());
		assertThat(repair).isLessThan(MembershipOptions.DEFAULTS.memberTimeout()
			.plus(MembershipOptions.DEFAULTS.heartbeatInterval().multipliedBy(2)));
	}

	@Test
	void aGracefulLeaveIsRepairedWithinASecond() throws Exception {
		List<HedgeNode> nodes = chain(4);
		HedgeNode leaving = this.cluster.inRole("middle").orElseThrow();
		Duration repair = repairAfter(nodes, leaving, HedgeNode::close);
		System.out.printf("chain repair after a graceful leave: %d ms%n", repair.toMillis());
		assertThat(repair).isLessThan(Timing.seconds(1));
	}

	/**
	 * Writes from another member go on while {@code fault} takes {@code victim} out; then the survivors form the
	 * chain and still read every acknowledged write.
	 * @return how long after the fault the first write that started after it was acknowledged
	 */
	private Duration repairAfter(List<HedgeNode> nodes, HedgeNode victim, Consumer<HedgeNode> fault)
			throws InterruptedException {
		HedgeNode writer = nodes.stream().filter((node) -> node != victim).findFirst().orElseThrow();
		Writes writes = new Writes(writer, 10);
		writes.start();
		writes.awaitAcknowledged(20);
		long faulted = System.nanoTime();
		fault.accept(victim);
		Duration repair = writes.firstCompletedAfter(faulted);
		writes.stop();
		List<HedgeNode> survivors = this.cluster.running();
		this.cluster.awaitChain(survivors);
		writes.assertNoneLost(survivors);
		return repair;
	}

	@Test
	void aNewMemberCatchesUpWhileWritesGoOnAndThenServesEveryKey() throws Exception {
		List<HedgeNode> nodes = chain(2);
		Map<String, Long> latest = new ConcurrentHashMap<>();
		for (int i = 0; i < 2000; i++) {
			String key = "bulk-" + i;
			latest.put(key, nodes.get(i % 2).chain().write(key, bytes("v" + i)));
		}
		Writes writes = new Writes(nodes.get(0), 20);
		writes.start();
		writes.awaitAcknowledged(10);
		HedgeNode joiner = this.cluster.start();
		List<HedgeNode> all = List.of(nodes.get(0), nodes.get(1), joiner);
		this.cluster.awaitChain(all);
		writes.awaitAcknowledged(writes.acknowledged() + 20);
		writes.stop();
		assertThat(joiner.chain().state().stats().catchUpKeys()).isGreaterThanOrEqualTo(2000);
		for (Map.Entry<String, Long> entry : latest.entrySet()) {
			ChainValue value = joiner.chain().read(entry.getKey(), ReadMode.LOCAL).orElseThrow();
			assertThat(value.version()).isEqualTo(entry.getValue());
		}
		writes.assertNoneLost(List.of(joiner));
		System.out.printf("chain join: longest write during the join %d ms%n", writes.longest().toMillis());
		assertThat(writes.longest()).as("the longest write stall while the member joined").isLessThan(Timing.seconds(1));
	}

	@Test
	void theCoordinatorsFailoverContinuesFromTheStoredConfigurationAndLosesNothing() throws Exception {
		List<HedgeNode> nodes = chain(3);
		HedgeNode leader = this.cluster.nodes().leader().orElseThrow();
		long before = leader.chain().state().config().version();
		HedgeNode writer = nodes.stream().filter((node) -> node != leader).findFirst().orElseThrow();
		Writes writes = new Writes(writer, 10);
		writes.start();
		writes.awaitAcknowledged(20);
		this.cluster.nodes().halt(leader);
		await().atMost(Timing.seconds(15)).until(() -> this.cluster.nodes().leader().isPresent());
		List<HedgeNode> survivors = this.cluster.running();
		this.cluster.awaitChain(survivors);
		writes.awaitAcknowledged(writes.acknowledged() + 20);
		writes.stop();
		ChainConfig after = survivors.get(0).chain().state().config();
		assertThat(after.version()).as("versions continue across leaders").isGreaterThan(before);
		assertThat(after.epoch()).isGreaterThan(leader.chain().state().config().epoch());
		writes.assertNoneLost(survivors);
	}

	/** One writer thread over 20 keys, recording every acknowledged write. */
	static final class Writes {

		private final HedgeNode node;

		private final long pauseMillis;

		private final Map<String, ChainValue> acknowledged = new ConcurrentHashMap<>();

		private final List<long[]> completions = new CopyOnWriteArrayList<>();

		private final AtomicLong count = new AtomicLong();

		private final AtomicBoolean stopped = new AtomicBoolean();

		private final String prefix = key("w");

		private volatile long longestNanos;

		private Thread thread;

		Writes(HedgeNode node, long pauseMillis) {
			this.node = node;
			this.pauseMillis = pauseMillis;
		}

		void start() {
			this.thread = new Thread(this::run, "chain-test-writer");
			this.thread.start();
		}

		private void run() {
			int i = 0;
			while (!this.stopped.get()) {
				String key = this.prefix + "-" + (i % 20);
				String value = "value " + i;
				long started = System.nanoTime();
				try {
					long version = this.node.chain().write(key, bytes(value));
					long ended = System.nanoTime();
					this.acknowledged.merge(key, new ChainValue(key, version, bytes(value)),
							(a, b) -> (a.version() > b.version()) ? a : b);
					this.completions.add(new long[] { started, ended });
					this.longestNanos = Math.max(this.longestNanos, ended - started);
					this.count.incrementAndGet();
				}
				catch (ChainException ex) {
					// outcome unknown: not counted as acknowledged
				}
				i++;
				try {
					Thread.sleep(this.pauseMillis);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}

		long acknowledged() {
			return this.count.get();
		}

		void awaitAcknowledged(long count) {
			await().atMost(Timing.seconds(20)).until(() -> this.count.get() >= count);
		}

		/** How long after {@code since} the first write started after it completed. */
		Duration firstCompletedAfter(long since) {
			long[] first = await().atMost(Timing.seconds(20)).until(() -> this.completions.stream()
				.filter((c) -> c[0] - since > 0)
				.findFirst()
				.orElse(null), (c) -> c != null);
			return Duration.ofNanos(first[1] - since);
		}

		Duration longest() {
			return Duration.ofNanos(this.longestNanos);
		}

		void stop() throws InterruptedException {
			this.stopped.set(true);
			this.thread.join(30_000);
		}

		/** Every node reads every key at its last acknowledged version or later. */
		void assertNoneLost(List<HedgeNode> nodes) {
			assertThat(this.acknowledged).isNotEmpty();
			for (HedgeNode reader : nodes) {
				for (ChainValue expected : this.acknowledged.values()) {
					ChainValue read = reader.chain().read(expected.key()).orElseThrow();
					assertThat(read.version()).as("%s on %s", expected.key(), reader.nodeId())
						.isGreaterThanOrEqualTo(expected.version());
					if (read.version() == expected.version()) {
						assertThat(read.value()).isEqualTo(expected.value());
					}
				}
			}
		}

	}

}
