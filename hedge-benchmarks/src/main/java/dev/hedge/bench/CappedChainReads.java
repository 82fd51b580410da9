package dev.hedge.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import dev.hedge.HedgeNode;
import dev.hedge.chain.ChainObserver;

/**
 * Read throughput of CRAQ against tail-only chain replication when every member can serve only so many reads a
 * second, in the chain benchmark's run on its three members.
 *
 * <p><b>The cap</b>, on the benchmark's side, no chain code involved: each member has one {@link Capacity}, a FIFO
 * server with a fixed service time per read ({@code cap-service}, 1 ms: at most 1 000 reads/s per member). Every read a
 * member serves takes one slot of its capacity before it runs; a linearizable read that was dirty (told by the
 * {@link #OBSERVER}, which the members carry) also takes one slot of the tail's capacity, for the version query the
 * tail answered. That slot is taken after the read returned, on the reader's thread: the same capacity consumed and
 * the same time the caller is held as if the tail had queued the query, only in the other order. A dirty read that
 * asked the tail more than once (the version it named was replaced meanwhile, rare) is charged one query. Writes are
 * not capped (the cap is on reads) and are the same in both modes.
 *
 * <p><b>Modes</b>, each with the same closed-loop callers ({@code cap-callers}, 48): CRAQ, every read at a member
 * chosen at random, linearizable; tail-only (classic chain replication), every read at the tail. Read-only: 1 000
 * keys, no writes. With writes: one writer per hot key ({@code cap-hot-keys}, 2) rewriting it at the head back to
 * back, and the readers picking a hot key with a probability calibrated before the CRAQ run (ten 1-second rounds, each
 * moving it by the square root of target over measured) so that about {@code cap-dirty-percent} (5) of CRAQ's reads
 * are dirty; the tail-only run keeps that probability and those writers. The dirty shares printed count warm-up and
 * window alike.
 *
 * <p>Threads: the callers of {@link LoadRun} ({@code bench-<name>-<n>}) and, with writes, the writers
 * ({@code bench-chain-capped-hot-writer-<n>}), stopped and joined before {@link #run} returns.
 */
final class CappedChainReads {

	/** Tells the reading thread how its last chain read was served; the benchmark's members carry it. */
	static final ChainObserver OBSERVER = new ChainObserver() {
		@Override
		public void onRead(Duration duration, String kind) {
			LAST_KIND.set(kind);
		}
	};

	private static final ThreadLocal<String> LAST_KIND = new ThreadLocal<>();

	private static final int CALIBRATION_ROUNDS = 10;

	private CappedChainReads() {
	}

	/**
	 * Runs the four modes and prints them with the ratios.
	 * @param chain the members in chain order: head, middle, tail
	 */
	static List<LoadRun.Result> run(Args args, List<HedgeNode> chain, int keys, byte[] value, Duration warmup,
			Duration window) throws InterruptedException {
		Duration service = args.duration("cap-service", Duration.ofMillis(1));
		int callers = args.integer("cap-callers", 48);
		int hotKeys = args.integer("cap-hot-keys", 2);
		double targetDirty = args.integer("cap-dirty-percent", 5) / 100.0;
		HedgeNode tail = chain.get(chain.size() - 1);
		System.out.printf("%nCapped reads: %d members, each serving at most %.0f reads/s (%s per read, FIFO), "
				+ "%d callers%n", chain.size(), 1e9 / service.toNanos(), service, callers);

		List<LoadRun.Result> results = new ArrayList<>();
		Mode craqReadOnly = new Mode(chain, tail, service, false);
		results.add(craqReadOnly.run("CRAQ, read-only", callers, warmup, window, (t, i) -> cold(keys)));
		Mode tailReadOnly = new Mode(chain, tail, service, true);
		results.add(tailReadOnly.run("tail-only, read-only", callers, warmup, window, (t, i) -> cold(keys)));

		AtomicBoolean stop = new AtomicBoolean();
		LongAdder written = new LongAdder();
		long writersFrom = System.nanoTime();
		List<Thread> writers = ChainBench.rewriters(chain.get(0), "capped-hot-", hotKeys, value, stop, written);
		Mode craqDirty = new Mode(chain, tail, service, false);
		Mode tailDirty = new Mode(chain, tail, service, true);
		try {
			double[] hot = { 0.1 };
			KeyChoice mixed = (t, i) -> (ThreadLocalRandom.current().nextDouble() < hot[0])
					? "capped-hot-" + ThreadLocalRandom.current().nextInt(hotKeys) : cold(keys);
			for (int round = 0; round < CALIBRATION_ROUNDS; round++) {
				Mode probe = new Mode(chain, tail, service, false);
				probe.run("calibration", callers, Duration.ZERO, Duration.ofSeconds(1), mixed);
				double dirty = probe.dirtyFraction();
				hot[0] = Math.min(1, (dirty > 0) ? hot[0] * Math.sqrt(targetDirty / dirty) : hot[0] * 2);
			}
			System.out.printf("hot-key probability %.3f (%d writers rewriting a hot key each at the head)%n", hot[0],
					hotKeys);
			results.add(craqDirty.run("CRAQ, with writes", callers, warmup, window, mixed));
			results.add(tailDirty.run("tail-only, with writes", callers, warmup, window, mixed));
		}
		finally {
			stop.set(true);
			for (Thread writer : writers) {
				writer.join(30_000);
			}
		}
		double writeRate = written.sum() / ((System.nanoTime() - writersFrom) / 1e9);

		System.out.println();
		print(results.get(0), craqReadOnly);
		print(results.get(1), tailReadOnly);
		print(results.get(2), craqDirty);
		print(results.get(3), tailDirty);
		System.out.printf("writes at the head while reading with writes: %.0f/s%n", writeRate);
		double goalReadOnly = 0.9 * chain.size();
		System.out.printf("ratio CRAQ / tail-only, read-only: %.2f (goal >= %.1f)%n",
				results.get(0).throughput() / results.get(1).throughput(), goalReadOnly);
		System.out.printf("ratio CRAQ / tail-only, %.1f %% of CRAQ's reads dirty: %.2f (goal >= 2)%n",
				100 * craqDirty.dirtyFraction(), results.get(2).throughput() / results.get(3).throughput());
		return results;
	}

	private static void print(LoadRun.Result result, Mode mode) {
		System.out.printf("%s   dirty %.1f %%, tail version queries charged %d%n", result, 100 * mode.dirtyFraction(),
				mode.tailCharges.sum());
	}

	private static String cold(int keys) {
		return String.format("key-%04d", ThreadLocalRandom.current().nextInt(keys));
	}

	@FunctionalInterface
	private interface KeyChoice {

		String key(int thread, long i);

	}

	/** One mode's members with their capacities, and its counts (over warm-up and window alike). */
	private static final class Mode {

		private final List<HedgeNode> chain;

		private final HedgeNode tail;

		private final List<Capacity> capacities = new ArrayList<>();

		private final Capacity tailCapacity;

		private final boolean tailOnly;

		private final LongAdder reads = new LongAdder();

		private final LongAdder dirtyReads = new LongAdder();

		private final LongAdder tailCharges = new LongAdder();

		Mode(List<HedgeNode> chain, HedgeNode tail, Duration service, boolean tailOnly) {
			this.chain = chain;
			this.tail = tail;
			this.tailOnly = tailOnly;
			for (int m = 0; m < chain.size(); m++) {
				this.capacities.add(new Capacity(service.toNanos()));
			}
			this.tailCapacity = this.capacities.get(chain.size() - 1);
		}

		LoadRun.Result run(String name, int callers, Duration warmup, Duration window, KeyChoice keys)
				throws InterruptedException {
			return LoadRun.run(name, callers, warmup, window, (t, i) -> read(keys.key(t, i)));
		}

		private void read(String key) {
			int member = this.tailOnly ? this.chain.size() - 1
					: ThreadLocalRandom.current().nextInt(this.chain.size());
			HedgeNode node = this.chain.get(member);
			this.capacities.get(member).serve();
			LAST_KIND.remove();
			node.chain().read(key);
			this.reads.increment();
			if ("dirty".equals(LAST_KIND.get())) {
				this.dirtyReads.increment();
				if (node != this.tail) {
					this.tailCharges.increment();
					this.tailCapacity.serve();
				}
			}
		}

		double dirtyFraction() {
			long all = this.reads.sum();
			return (all == 0) ? 0 : (double) this.dirtyReads.sum() / all;
		}

	}

	/**
	 * One member's read capacity: a single server taking requests first come, first served, each for a fixed
	 * service time. A caller reserves the next free slot and is parked until it ends, so the member serves at most
	 * one read per service time however late parked threads wake (the slots are reserved back to back). Thread-safe.
	 */
	static final class Capacity {

		private final long serviceNanos;

		private long nextFree = System.nanoTime();

		Capacity(long serviceNanos) {
			this.serviceNanos = serviceNanos;
		}

		void serve() {
			long end;
			synchronized (this) {
				long now = System.nanoTime();
				end = Math.max(now, this.nextFree) + this.serviceNanos;
				this.nextFree = end;
			}
			for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
				LockSupport.parkNanos(left);
			}
		}

	}

}
