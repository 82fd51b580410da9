package dev.hedge.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.DatabaseId;
import com.google.cloud.spanner.Spanner;
import com.google.cloud.spanner.Statement;
import org.HdrHistogram.Histogram;

import dev.hedge.election.LeaseClaim;
import dev.hedge.election.LeaseStore;
import dev.hedge.store.HedgeStore;
import dev.hedge.store.TableNames;
import dev.hedge.store.spanner.SpannerHedgeStore;
import dev.hedge.testsupport.SpannerEmulator;

/**
 * Lease renewal latency on the Spanner emulator while other writers keep its single read-write transaction slot
 * busy (the emulator aborts every transaction that finds another active). hedge's renewal (re-run within
 * milliseconds when aborted) is measured against the same conditional {@code UPDATE} through the client's
 * {@code readWriteTransaction().run} (re-run after the Rollback RPC's back-off, 250 ms growing by 1.3), interleaved
 * in rounds so both see the same load. Idle figures of both come first. The renewal's tail bounds how long a leader
 * may go unrenewed, and the same path carries take-overs and releases (failover and hand-over).
 */
final class LeaseContentionBench {

	private static final String RENEW_SQL = "UPDATE hedge_lock SET heartbeat = PENDING_COMMIT_TIMESTAMP() "
			+ "WHERE name = @name AND incarnation = @incarnation AND epoch = @epoch";

	private LeaseContentionBench() {
	}

	static void run(Args args) throws Exception {
		int writers = args.integer("writers", 4);
		int samples = args.integer("samples", 200);
		int rounds = args.integer("rounds", 4);
		var emulator = SpannerEmulator.shared();
		if (emulator.isEmpty()) {
			System.out.println("(needs the Spanner emulator: " + SpannerEmulator.unavailableReason() + ")");
			return;
		}
		DatabaseId id = emulator.get().createDatabase("contention");
		Spanner spanner = emulator.get().spanner();
		DatabaseClient client = spanner.getDatabaseClient(id);
		try (HedgeStore store = SpannerHedgeStore.open(client, spanner.getDatabaseAdminClient(), id,
				TableNames.defaults(), true)) {
			LeaseStore leases = store.leases();
			LeaseClaim claim = new LeaseClaim("bench:1", "bench-incarnation", 600_000, 1000);
			long epoch = leases.tryAcquire("bench", claim, Duration.ofSeconds(10)).record().epoch();
			Renewal hedge = () -> leases.renew("bench", claim.incarnation(), epoch, Duration.ofSeconds(30));
			Renewal baseline = () -> client.readWriteTransaction()
				.run((tx) -> tx.executeUpdate(Statement.newBuilder(RENEW_SQL)
					.bind("name")
					.to("bench")
					.bind("incarnation")
					.to(claim.incarnation())
					.bind("epoch")
					.to(epoch)
					.build())) == 1;
			System.out.printf("%d writers, %d renewals per side in %d interleaved rounds%n", writers, samples, rounds);
			System.out.printf("%-34s %8s %8s %8s %8s%n", "", "p50 ms", "p99 ms", "max ms", "load/s");
			print("idle, hedge", measure(hedge, 50), 0);
			print("idle, client default", measure(baseline, 50), 0);
			Histogram loadedHedge = histogram();
			Histogram loadedBaseline = histogram();
			try (Load load = new Load(client, leases, writers)) {
				Thread.sleep(1000);
				long started = System.nanoTime();
				long before = load.done.get();
				for (int round = 0; round < rounds; round++) {
					loadedHedge.add(measure(hedge, samples / rounds));
					loadedBaseline.add(measure(baseline, samples / rounds));
				}
				double perSecond = (load.done.get() - before) / ((System.nanoTime() - started) / 1e9);
				print("under load, hedge", loadedHedge, perSecond);
				print("under load, client default", loadedBaseline, perSecond);
			}
			System.out.printf("ratio client default / hedge under load: p50 %.2f×, p99 %.2f×, max %.2f×%n",
					ratio(loadedBaseline, loadedHedge, 50), ratio(loadedBaseline, loadedHedge, 99),
					(double) loadedBaseline.getMaxValue() / Math.max(1, loadedHedge.getMaxValue()));
		}
	}

	private static Histogram measure(Renewal renewal, int count) {
		Histogram histogram = histogram();
		for (int i = 0; i < count; i++) {
			long start = System.nanoTime();
			if (!renewal.renew()) {
				throw new IllegalStateException("the benchmark's lease was lost");
			}
			histogram.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
		}
		return histogram;
	}

	private static Histogram histogram() {
		return new Histogram(3_600_000_000L, 3);
	}

	private static double ratio(Histogram a, Histogram b, double percentile) {
		return (double) a.getValueAtPercentile(percentile) / Math.max(1, b.getValueAtPercentile(percentile));
	}

	private static void print(String label, Histogram histogram, double loadPerSecond) {
		System.out.printf("%-34s %8.1f %8.1f %8.1f %8.0f%n", label, histogram.getValueAtPercentile(50) / 1000.0,
				histogram.getValueAtPercentile(99) / 1000.0, histogram.getMaxValue() / 1000.0, loadPerSecond);
	}

	@FunctionalInterface
	private interface Renewal {

		boolean renew();

	}

	/**
	 * Writers that each read a row of their own, pause 3 ms inside the transaction (a round trip of work) and update
	 * it, through the client's default runner, until closed. Threads {@code bench-load-n}, stopped by close.
	 */
	private static final class Load implements AutoCloseable {

		final AtomicLong done = new AtomicLong();

		private final AtomicBoolean stop = new AtomicBoolean();

		private final List<Thread> threads = new ArrayList<>();

		Load(DatabaseClient client, LeaseStore leases, int writers) {
			for (int i = 0; i < writers; i++) {
				String row = "load-" + i;
				leases.tryAcquire(row, new LeaseClaim("load:" + i, "load-" + i, 600_000, 1000), Duration.ofSeconds(10));
				Statement read = Statement.newBuilder("SELECT epoch FROM hedge_lock WHERE name = @name")
					.bind("name")
					.to(row)
					.build();
				Statement write = Statement.newBuilder("UPDATE hedge_lock SET lease_ms = lease_ms WHERE name = @name")
					.bind("name")
					.to(row)
					.build();
				Thread thread = new Thread(() -> {
					while (!this.stop.get()) {
						client.readWriteTransaction().run((tx) -> {
							try (var rs = tx.executeQuery(read)) {
								rs.next();
							}
							Thread.sleep(3);
							return tx.executeUpdate(write);
						});
						this.done.incrementAndGet();
					}
				}, "bench-load-" + i);
				thread.setDaemon(true);
				thread.start();
				this.threads.add(thread);
			}
		}

		@Override
		public void close() throws InterruptedException {
			this.stop.set(true);
			for (Thread thread : this.threads) {
				thread.join(30_000);
			}
		}

	}

}
