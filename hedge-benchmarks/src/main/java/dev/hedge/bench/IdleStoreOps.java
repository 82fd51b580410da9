package dev.hedge.bench;

import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

import dev.hedge.election.ElectionOptions;
import dev.hedge.election.LeaderElector;
import dev.hedge.store.HedgeStore;

/**
 * Store operations an idle group costs: one leader and one follower at the default lease, counted per node-minute,
 * next to what the configuration predicts (leader: 60 s / R renewals; follower: 60 s / P reads).
 */
final class IdleStoreOps {

	private IdleStoreOps() {
	}

	static void run(Args args) throws Exception {
		Duration window = args.duration("window", Duration.ofSeconds(60));
		ElectionOptions options = ElectionOptions.defaults();
		System.out.printf("lease %s, renew every %s, poll every %s; measured over %s per backend%n",
				options.leaseDuration(), options.renewInterval(), options.pollInterval(), window);
		System.out.printf("%-17s %-9s %9s %11s %10s %9s %9s %10s%n", "backend", "role", "reads/min", "takeover/min",
				"renew/min", "other/min", "total/min", "predicted");
		for (Map.Entry<String, Supplier<HedgeStore>> backend : BenchStores.available(args).entrySet()) {
			try (HedgeStore store = backend.getValue().get()) {
				measure(backend.getKey(), store, options, window);
			}
		}
	}

	private static void measure(String backend, HedgeStore store, ElectionOptions options, Duration window)
			throws InterruptedException {
		CountingLeaseStore first = new CountingLeaseStore(store.leases());
		CountingLeaseStore second = new CountingLeaseStore(store.leases());
		String group = "idle-" + System.nanoTime();
		try (LeaderElector a = new LeaderElector(group, "bench-a:1", first, options);
				LeaderElector b = new LeaderElector(group, "bench-b:1", second, options)) {
			a.start();
			long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
			while (!a.isLeader() && System.nanoTime() < until) {
				Thread.sleep(20);
			}
			b.start();
			while (b.leaderId().isEmpty() && System.nanoTime() < until) {
				Thread.sleep(20);
			}
			if (!a.isLeader()) {
				throw new IllegalStateException("no leader on " + backend);
			}
			first.reset();
			second.reset();
			Thread.sleep(window.toMillis());
			double minutes = window.toMillis() / 60_000.0;
			print(backend, "leader", first, minutes, 60_000.0 / options.renewInterval().toMillis());
			print(backend, "follower", second, minutes, 60_000.0 / options.pollInterval().toMillis());
			if (!a.isLeader() || b.isLeader()) {
				System.out.println("  (leadership changed during the window: figures are not idle figures)");
			}
		}
	}

	private static void print(String backend, String role, CountingLeaseStore counts, double minutes,
			double predicted) {
		System.out.printf("%-17s %-9s %9.1f %11.1f %10.1f %9.1f %9.1f %10.1f%n", backend, role,
				counts.reads.sum() / minutes, counts.takeovers.sum() / minutes, counts.renewals.sum() / minutes,
				counts.releases.sum() / minutes, counts.total() / minutes, predicted);
	}

}
