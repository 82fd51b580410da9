package dev.hedge.bench;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.concurrent.atomic.AtomicBoolean;

import org.HdrHistogram.Histogram;

import dev.hedge.HedgeNode;
import dev.hedge.chain.ChainOptions;
import dev.hedge.chain.ChainStorage;
import dev.hedge.chain.ChainStoreOptions;
import dev.hedge.chain.ReadMode;
import dev.hedge.store.HedgeStore;
import dev.hedge.store.jdbc.JdbcHedgeStore;
import dev.hedge.transport.grpc.MemberSecurity;

/**
 * The chain (CRAQ) next to hedge's other paths, in one run on one machine: three members on loopback with in-memory
 * chain stores, the embedded store for the lease and the configuration. Measured with the same callers and value
 * size: a clean linearizable read (served from the reading member's store), a dirty read (the key has a write in
 * flight: one version query to the tail), a local read, a write at the head and one from the tail (forwarded to the
 * head), next to hedge {@code send} (follower to leader, echo) and a key/value-log {@code get} on each store of
 * {@code stores=} (embedded, Spanner emulator, PostgreSQL, as available).
 * The dirty reads are one caller's reads at the head of keys that writers keep rewriting back to back, each told
 * apart as dirty or clean by the head's counters.
 *
 * <p>Threads: the callers of {@link LoadRun} ({@code bench-<name>-<n>}) and, during the dirty reads (read on the
 * calling thread), one writer per hot key ({@code bench-chain-hot-writer-<n>}), stopped and joined before they end.
 */
final class ChainBench {

	private static final int KEYS = 1_000;

	private ChainBench() {
	}

	static void run(Args args) throws Exception {
		int callers = args.integer("callers", 8);
		int size = args.integer("size", 256);
		int hotKeys = args.integer("hot-keys", 8);
		Duration warmup = args.duration("warmup", Duration.ofSeconds(5));
		Duration window = args.duration("window", Duration.ofSeconds(10));
		byte[] value = new byte[size];
		System.out.printf("3 members, %d callers, %d-byte values, %s warm-up, %s measured%n", callers, size, warmup,
				window);
		HedgeStore store = JdbcHedgeStore.embedded(Files.createTempDirectory("hedge-bench-"), true);
		List<HedgeNode> nodes = new ArrayList<>();
		try {
			for (int i = 0; i < 3; i++) {
				nodes.add(node(store));
			}
			SendBench.await(() -> nodes.stream()
				.allMatch((node) -> node.chain().state().serving()
						&& node.chain().state().config().members().size() == 3));
			HedgeNode head = inRole(nodes, "head");
			HedgeNode middle = inRole(nodes, "middle");
			HedgeNode tail = inRole(nodes, "tail");
			HedgeNode follower = nodes.stream().filter((node) -> !node.isLeader()).findFirst().orElseThrow();
			for (int k = 0; k < KEYS; k++) {
				head.chain().write(key(k), value);
			}

			List<LoadRun.Result> results = new ArrayList<>();
			results.add(LoadRun.run("hedge send (follower to leader)", callers, warmup, window,
					(t, i) -> follower.send(value)));
			results.addAll(kvGets(args, callers, warmup, window));
			results.add(LoadRun.run("chain clean read (middle)", callers, warmup, window,
					(t, i) -> middle.chain().read(key((int) ((t * 7919 + i) % KEYS))).orElseThrow()));
			results.add(LoadRun.run("chain local read (middle)", callers, warmup, window,
					(t, i) -> middle.chain().read(key((int) ((t * 7919 + i) % KEYS)), ReadMode.LOCAL)
						.orElseThrow()));
			results.addAll(dirtyReads(head, hotKeys, value, warmup, window));
			results.add(LoadRun.run("chain write at the head", callers, warmup, window,
					(t, i) -> head.chain().write("w-" + t + "-" + (i % 100), value)));
			results.add(LoadRun.run("chain write from the tail", callers, warmup, window,
					(t, i) -> tail.chain().write("w-" + t + "-" + (i % 100), value)));
			System.out.println();
			results.forEach((result) -> System.out.println(result));
		}
		finally {
			for (HedgeNode node : nodes) {
				node.close();
			}
			store.close();
		}
	}

	/** The key/value log's {@code get} of one key on each store of {@code stores=} (one member of its own per store). */
	private static List<LoadRun.Result> kvGets(Args args, int callers, Duration warmup, Duration window)
			throws Exception {
		List<LoadRun.Result> results = new ArrayList<>();
		for (Map.Entry<String, Supplier<HedgeStore>> backend : BenchStores.available(args).entrySet()) {
			HedgeStore store = backend.getValue().get();
			HedgeNode node = SendBench.node(store, "bench-chain-kv", MemberSecurity.auto());
			try {
				SendBench.await(node::isLeader);
				node.kv().put("bench-kv-key", "v");
				results.add(LoadRun.run("kv get (" + backend.getKey() + ")", callers, warmup, window,
						(t, i) -> node.kv().get("bench-kv-key").orElseThrow()));
			}
			finally {
				node.close();
				store.close();
			}
		}
		return results;
	}

	/**
	 * Reads at the head, by one caller, of keys that one writer each keeps rewriting; each read is told apart as dirty
	 * or clean by the head's dirty-read counter around it (only this caller reads there), so the two latencies are
	 * recorded apart. Throughput here is one caller's, shared by both kinds.
	 */
	private static List<LoadRun.Result> dirtyReads(HedgeNode head, int hotKeys, byte[] value, Duration warmup,
			Duration window) throws InterruptedException {
		AtomicBoolean stop = new AtomicBoolean();
		List<Thread> writers = new ArrayList<>();
		for (int k = 0; k < hotKeys; k++) {
			String key = "hot-" + k;
			head.chain().write(key, value);
			Thread writer = new Thread(() -> {
				while (!stop.get()) {
					head.chain().write(key, value);
				}
			}, "bench-chain-hot-writer-" + k);
			writer.setDaemon(true);
			writers.add(writer);
			writer.start();
		}
		try {
			Histogram dirty = new Histogram(3);
			Histogram clean = new Histogram(3);
			long measureFrom = System.nanoTime() + warmup.toNanos();
			long end = measureFrom + window.toNanos();
			for (long i = 0; System.nanoTime() < end; i++) {
				long dirtyBefore = head.chain().state().stats().dirtyReads();
				long start = System.nanoTime();
				head.chain().read("hot-" + (i % hotKeys)).orElseThrow();
				long micros = Math.max(1, (System.nanoTime() - start) / 1000);
				if (start >= measureFrom) {
					(head.chain().state().stats().dirtyReads() > dirtyBefore ? dirty : clean).recordValue(micros);
				}
			}
			double seconds = window.toNanos() / 1e9;
			return List.of(
					new LoadRun.Result("chain dirty read (head, 1 caller)", dirty.getTotalCount(), 0, seconds, dirty),
					new LoadRun.Result("chain clean read of the same keys", clean.getTotalCount(), 0, seconds, clean));
		}
		finally {
			stop.set(true);
			for (Thread writer : writers) {
				writer.join(30_000);
			}
		}
	}

	private static HedgeNode node(HedgeStore store) {
		return HedgeNode.builder("bench-chain")
			.store(store, false)
			.address("127.0.0.1")
			.listen("127.0.0.1", 0)
			.security(MemberSecurity.auto())
			.leaderHandler((message) -> message.payload())
			.chain(ChainOptions.enabled(ChainStorage.inMemory(ChainStoreOptions.DEFAULTS)))
			.build()
			.start();
	}

	private static HedgeNode inRole(List<HedgeNode> nodes, String role) {
		return nodes.stream()
			.filter((node) -> node.chain().state().role().equals(role))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("no member is " + role));
	}

	private static String key(int k) {
		return String.format("key-%04d", k);
	}

}
