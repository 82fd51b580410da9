package dev.hedge.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Runs one operation from N threads for a warm-up and a measured window; reports throughput and latency
 * percentiles (HdrHistogram).
 */
final class LoadRun {

	/** One call of the operation under test; {@code thread} and {@code i} make payloads distinct. */
	@FunctionalInterface
	interface Operation {

		void call(int thread, long i) throws Exception;

	}

	/**
	 * Results of a run.
	 *
	 * @param name what ran
	 * @param operations completed operations in the window
	 * @param errors failed operations in the window
	 * @param seconds the window
	 * @param latency latencies in microseconds
	 */
	record Result(String name, long operations, long errors, double seconds, Histogram latency) {

		double throughput() {
			return this.operations / this.seconds;
		}

		double p50Micros() {
			return this.latency.getValueAtPercentile(50);
		}

		double p99Micros() {
			return this.latency.getValueAtPercentile(99);
		}

		@Override
		public String toString() {
			return String.format("%-34s %10.0f ops/s  p50 %7.0f us  p99 %7.0f us  (%d ops, %d errors)", this.name,
					throughput(), p50Micros(), p99Micros(), this.operations, this.errors);
		}

	}

	private LoadRun() {
	}

	static Result run(String name, int threads, Duration warmup, Duration window, Operation operation)
			throws InterruptedException {
		Recorder recorder = new Recorder(3);
		LongAdder done = new LongAdder();
		LongAdder errors = new LongAdder();
		AtomicBoolean measuring = new AtomicBoolean();
		AtomicBoolean stop = new AtomicBoolean();
		CountDownLatch finished = new CountDownLatch(threads);
		List<Thread> workers = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			int thread = t;
			Thread worker = new Thread(() -> {
				long i = 0;
				try {
					while (!stop.get()) {
						long start = System.nanoTime();
						boolean failed = false;
						try {
							operation.call(thread, i++);
						}
						catch (Exception ex) {
							failed = true;
						}
						if (measuring.get()) {
							if (failed) {
								errors.increment();
							}
							else {
								recorder.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
								done.increment();
							}
						}
					}
				}
				finally {
					finished.countDown();
				}
			}, "bench-" + name + "-" + t);
			worker.setDaemon(true);
			workers.add(worker);
			worker.start();
		}
		Thread.sleep(warmup.toMillis());
		recorder.reset();
		measuring.set(true);
		long begin = System.nanoTime();
		Thread.sleep(window.toMillis());
		measuring.set(false);
		double seconds = (System.nanoTime() - begin) / 1e9;
		Histogram histogram = recorder.getIntervalHistogram();
		stop.set(true);
		finished.await();
		return new Result(name, done.sum(), errors.sum(), seconds, histogram);
	}

}
