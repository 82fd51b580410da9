package dev.hedge.bench;

import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

import dev.hedge.HedgeNode;
import dev.hedge.kv.KeyValueOptions;
import dev.hedge.store.HedgeStore;

/**
 * Put throughput with concurrent writers on a follower (forwarded to the leader): group commit (batches of up to
 * 256) next to one transaction per put, in the same run; then get latency from a follower.
 */
final class PutBench {

	private PutBench() {
	}

	static void run(Args args) throws Exception {
		int writers = args.integer("writers", 32);
		int readers = args.integer("readers", 8);
		int keys = args.integer("keys", 1000);
		Duration warmup = args.duration("warmup", Duration.ofSeconds(3));
		Duration window = args.duration("window", Duration.ofSeconds(10));
		System.out.printf("%d writers over %d keys, %s warm-up, %s measured; gets with %d readers%n", writers, keys,
				warmup, window, readers);
		for (Map.Entry<String, Supplier<HedgeStore>> backend : BenchStores.available(args).entrySet()) {
			try (HedgeStore store = backend.getValue().get()) {
				System.out.println(backend.getKey() + ":");
				LoadRun.Result single = puts(store, KeyValueOptions.DEFAULTS.withMaxBatch(1), "1 transaction per put",
						writers, keys, warmup, window);
				LoadRun.Result group = puts(store, KeyValueOptions.DEFAULTS, "group commit", writers, keys, warmup,
						window);
				System.out.printf("  group commit / one per put throughput: %.1fx (goal >= 5x)%n",
						group.throughput() / single.throughput());
				gets(store, readers, keys, warmup, window);
			}
		}
	}

	private static LoadRun.Result puts(HedgeStore store, KeyValueOptions options, String label, int writers, int keys,
			Duration warmup, Duration window) throws Exception {
		String group = "bench-put-" + System.nanoTime();
		try (HedgeNode leader = node(store, group, options); HedgeNode follower = startFollower(store, group, options,
				leader)) {
			LoadRun.Result result = LoadRun.run(label, writers, warmup, window,
					(thread, i) -> follower.kv().put("key-" + ((thread * 7919 + i) % keys), "value-" + thread + "-" + i));
			System.out.println("  " + result);
			return result;
		}
	}

	private static void gets(HedgeStore store, int readers, int keys, Duration warmup, Duration window)
			throws Exception {
		String group = "bench-get-" + System.nanoTime();
		try (HedgeNode leader = node(store, group, KeyValueOptions.DEFAULTS);
				HedgeNode follower = startFollower(store, group, KeyValueOptions.DEFAULTS, leader)) {
			for (int k = 0; k < Math.min(keys, 200); k++) {
				follower.kv().put("get-key-" + k, "v" + k);
			}
			LoadRun.Result result = LoadRun.run("get latest (follower, " + readers + " readers)", readers, warmup,
					window, (thread, i) -> follower.kv().get("get-key-" + ((thread + i) % 200)).orElseThrow());
			System.out.println("  " + result);
		}
	}

	private static HedgeNode node(HedgeStore store, String group, KeyValueOptions options) throws Exception {
		HedgeNode node = start(store, group, options);
		SendBench.await(node::isLeader);
		return node;
	}

	private static HedgeNode startFollower(HedgeStore store, String group, KeyValueOptions options, HedgeNode leader)
			throws Exception {
		HedgeNode node = start(store, group, options);
		SendBench.await(() -> node.leaderId().isPresent() && leader.members().contains(node.nodeId()));
		return node;
	}

	private static HedgeNode start(HedgeStore store, String group, KeyValueOptions options) {
		return HedgeNode.builder(group)
			.store(store, false)
			.address("127.0.0.1")
			.listen("127.0.0.1", 0)
			.keyValue(options)
			.build()
			.start();
	}

}
