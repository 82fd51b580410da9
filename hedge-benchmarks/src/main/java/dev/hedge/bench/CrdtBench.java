package dev.hedge.bench;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.crdt.pncounter.PNCounter;
import org.HdrHistogram.Histogram;

import dev.hedge.HedgeNode;
import dev.hedge.replicator.ReplicatorObserver;
import dev.hedge.replicator.ReplicatorOptions;
import dev.hedge.store.HedgeStore;
import dev.hedge.store.jdbc.JdbcHedgeStore;

/**
 * Replicated data on five members in one JVM over loopback, next to Hazelcast's PN counter (open source edition, five
 * members in the same JVM, TCP/IP join on loopback) in the same run, both replicating every
 * {@code interval} (hedge's delta interval, Hazelcast's CRDT replication period):
 * <ul>
 * <li>propagation: a counter incremented on one member (round robin), until all five read the new value (polled
 * every 50 us; a random pause of up to one interval between samples, so samples do not lock onto the ticks);</li>
 * <li>bytes per add (hedge only: the delta and repair batches its observer counts, to all four other members):
 * single adds (one per interval) and batched adds (a burst on one member);</li>
 * <li>adds/s per member: LOCAL increments by {@code threads} threads on every member at once.</li>
 * </ul>
 */
final class CrdtBench {

	private static final int MEMBERS = 5;

	private CrdtBench() {
	}

	static void run(Args args) throws Exception {
		int samples = args.integer("samples", 200);
		int batch = args.integer("batch", 10_000);
		int threads = args.integer("threads", 2);
		Duration interval = args.duration("interval", Duration.ofMillis(100));
		Duration warmup = args.duration("warmup", Duration.ofSeconds(3));
		Duration window = args.duration("window", Duration.ofSeconds(5));
		System.out.printf("%d members each, replication every %s, %d propagation samples, bursts of %d adds, %d"
				+ " threads per member for adds/s (%s warm-up, %s measured)%n", MEMBERS, interval, samples, batch,
				threads, warmup, window);
		hedge(samples, batch, threads, interval, warmup, window);
		hazelcast(samples, threads, interval, warmup, window);
	}

	private static void hedge(int samples, int batch, int threads, Duration interval, Duration warmup,
			Duration window) throws Exception {
		HedgeStore store = JdbcHedgeStore.embedded(Files.createTempDirectory("hedge-bench-"), true);
		AtomicLong bytes = new AtomicLong();
		ReplicatorObserver counting = new ReplicatorObserver() {
			@Override
			public void deltasSent(int entries, long sent) {
				bytes.addAndGet(sent);
			}
		};
		List<HedgeNode> nodes = new ArrayList<>();
		try {
			for (int i = 0; i < MEMBERS; i++) {
				nodes.add(HedgeNode.builder("bench-crdt")
					.store(store, false)
					.address("127.0.0.1")
					.listen("127.0.0.1", 0)
					.replicatedData(ReplicatorOptions.builder().deltaInterval(interval).build())
					.addReplicatorObserver(counting)
					.build()
					.start());
			}
			SendBench.await(() -> nodes.stream().allMatch((n) -> n.members().size() == MEMBERS));
			// warm the paths once
			propagation("hedge warm-up", 20, interval,
					(m) -> () -> nodes.get(m).replicator().counter("warm").increment(1),
					(m) -> () -> nodes.get(m).replicator().counter("warm").value());
			long before = bytes.get();
			Histogram hedge = propagation("hedge counter", samples, interval,
					(m) -> () -> nodes.get(m).replicator().counter("prop").increment(1),
					(m) -> () -> nodes.get(m).replicator().counter("prop").value());
			double counterSingle = (bytes.get() - before) / (double) samples;
			before = bytes.get();
			propagation("hedge like", samples, interval, (m) -> {
				AtomicLong next = new AtomicLong();
				return () -> {
					nodes.get(m).replicator().growOnlySet("likes", String.class).add("user-" + m + "-"
							+ next.incrementAndGet());
					return 0;
				};
			}, (m) -> () -> nodes.get(m).replicator().growOnlySet("likes", String.class).size());
			double likeSingle = (bytes.get() - before) / (double) samples;

			before = bytes.get();
			for (int i = 0; i < batch; i++) {
				nodes.get(0).replicator().counter("burst").increment(1);
			}
			SendBench.await(() -> nodes.stream().allMatch((n) -> n.replicator().counter("burst").value() == batch));
			double counterBatched = (bytes.get() - before) / (double) batch;
			before = bytes.get();
			for (int i = 0; i < batch; i++) {
				nodes.get(0).replicator().growOnlySet("burst-likes", String.class).add("user-" + i);
			}
			SendBench.await(() -> nodes.stream()
				.allMatch((n) -> n.replicator().growOnlySet("burst-likes", String.class).size() == batch));
			double likeBatched = (bytes.get() - before) / (double) batch;

			LoadRun.Result adds = LoadRun.run("hedge counter adds (LOCAL)", threads * MEMBERS, warmup, window,
					(t, i) -> nodes.get(t % MEMBERS).replicator().counter("load").increment(1));
			long total = nodes.get(0).replicator().counter("load").value();
			SendBench.await(() -> nodes.stream().allMatch((n) -> n.replicator().counter("load").value() >= total));
			System.out.println("  " + adds);
			System.out.printf("hedge propagation to all %d members: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", MEMBERS,
					hedge.getValueAtPercentile(50) / 1000.0, hedge.getValueAtPercentile(99) / 1000.0,
					hedge.getMaxValue() / 1000.0);
			System.out.printf("hedge bytes sent per add to the 4 other members: counter %.0f single, %.2f batched;"
					+ " like (grow-only set) %.0f single, %.2f batched%n", counterSingle, counterBatched, likeSingle,
					likeBatched);
			System.out.printf("hedge adds/s per member: %.0f%n", adds.throughput() / MEMBERS);
		}
		finally {
			for (HedgeNode node : nodes) {
				node.close();
			}
			store.close();
		}
	}

	private static void hazelcast(int samples, int threads, Duration interval, Duration warmup, Duration window)
			throws Exception {
		List<HazelcastInstance> members = new ArrayList<>();
		try {
			for (int i = 0; i < MEMBERS; i++) {
				Config config = new Config().setClusterName("bench-crdt-" + ProcessHandle.current().pid())
					.setInstanceName("bench-hz-" + i);
				config.setProperty("hazelcast.logging.type", "none");
				config.setProperty("hazelcast.phone.home.enabled", "false");
				config.getNetworkConfig().setPort(15701).setPortAutoIncrement(true);
				config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
				JoinConfig join = config.getNetworkConfig().getJoin();
				join.getMulticastConfig().setEnabled(false);
				join.getAutoDetectionConfig().setEnabled(false);
				for (int port = 15701; port < 15701 + MEMBERS; port++) {
					join.getTcpIpConfig().setEnabled(true).addMember("127.0.0.1:" + port);
				}
				config.getCRDTReplicationConfig().setReplicationPeriodMillis((int) interval.toMillis());
				members.add(Hazelcast.newHazelcastInstance(config));
			}
			SendBench.await(() -> members.stream().allMatch((m) -> m.getCluster().getMembers().size() == MEMBERS));
			propagation("hazelcast warm-up", 20, interval, (m) -> {
				PNCounter counter = members.get(m).getPNCounter("warm");
				return counter::incrementAndGet;
			}, (m) -> members.get(m).getPNCounter("warm")::get);
			Histogram hz = propagation("hazelcast PN counter", samples, interval, (m) -> {
				PNCounter counter = members.get(m).getPNCounter("prop");
				return counter::incrementAndGet;
			}, (m) -> members.get(m).getPNCounter("prop")::get);
			List<PNCounter> load = members.stream().map((m) -> m.getPNCounter("load")).toList();
			LoadRun.Result adds = LoadRun.run("hazelcast PN counter adds", threads * MEMBERS, warmup, window,
					(t, i) -> load.get(t % MEMBERS).incrementAndGet());
			System.out.println("  " + adds);
			System.out.printf("hazelcast propagation to all %d members: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
					MEMBERS, hz.getValueAtPercentile(50) / 1000.0, hz.getValueAtPercentile(99) / 1000.0,
					hz.getMaxValue() / 1000.0);
			System.out.printf("hazelcast adds/s per member: %.0f%n", adds.throughput() / MEMBERS);
		}
		finally {
			for (HazelcastInstance member : members) {
				member.getLifecycleService().terminate();
			}
		}
	}

	/**
	 * Updates on member {@code s % 5} and polls every member until each reads the new value; returns the latencies
	 * in microseconds.
	 */
	private static Histogram propagation(String name, int samples, Duration interval,
			IntFunction<LongSupplier> update, IntFunction<LongSupplier> read) {
		Histogram histogram = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
		List<LongSupplier> updates = new ArrayList<>();
		List<LongSupplier> reads = new ArrayList<>();
		for (int m = 0; m < MEMBERS; m++) {
			updates.add(update.apply(m));
			reads.add(read.apply(m));
		}
		long[] expected = new long[MEMBERS];
		for (int m = 0; m < MEMBERS; m++) {
			expected[m] = reads.get(m).getAsLong();
		}
		for (int s = 0; s < samples; s++) {
			LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(interval.toNanos()));
			int origin = s % MEMBERS;
			long start = System.nanoTime();
			updates.get(origin).getAsLong();
			long deadline = start + TimeUnit.SECONDS.toNanos(30);
			for (int m = 0; m < MEMBERS; m++) {
				while (reads.get(m).getAsLong() <= expected[m]) {
					if (System.nanoTime() > deadline) {
						throw new IllegalStateException(name + ": member " + m + " did not see sample " + s);
					}
					LockSupport.parkNanos(50_000);
				}
			}
			histogram.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
			for (int m = 0; m < MEMBERS; m++) {
				expected[m] = reads.get(m).getAsLong();
			}
		}
		return histogram;
	}

}
