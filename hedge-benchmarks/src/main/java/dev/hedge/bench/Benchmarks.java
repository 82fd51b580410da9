package dev.hedge.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Entry point of the benchmark module: {@code Benchmarks <name|all> [key=value ...]}. Each benchmark prints its
 * figures next to a baseline measured in the same run, or next to the figure the configuration predicts.
 */
public final class Benchmarks {

	private Benchmarks() {
	}

	public static void main(String[] argv) throws Exception {
		String which = (argv.length > 0 && !argv[0].isBlank()) ? argv[0] : "all";
		Args args = Args.parse(argv);
		Map<String, Benchmark> benchmarks = new LinkedHashMap<>();
		benchmarks.put("idle-store-ops", IdleStoreOps::run);
		benchmarks.put("send", SendBench::run);
		benchmarks.put("send-auth", SendAuthBench::run);
		benchmarks.put("put", PutBench::run);
		benchmarks.put("sos", SosBench::run);
		benchmarks.put("lease-contention", LeaseContentionBench::run);
		benchmarks.put("crdt", CrdtBench::run);
		benchmarks.put("chain", ChainBench::run);
		boolean any = false;
		for (Map.Entry<String, Benchmark> entry : benchmarks.entrySet()) {
			if (which.equals("all") || which.equals(entry.getKey())) {
				System.out.println();
				System.out.println("=== " + entry.getKey() + " ===");
				entry.getValue().run(args);
				any = true;
			}
		}
		if (!any) {
			throw new IllegalArgumentException("unknown benchmark '" + which + "'; known: " + benchmarks.keySet());
		}
		System.exit(0);
	}

	@FunctionalInterface
	interface Benchmark {

		void run(Args args) throws Exception;

	}

}
