package dev.hedge.chaos.member;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.hedge.HedgeNode;
import dev.hedge.chaos.history.Hold;
import dev.hedge.chaos.history.Op;
import dev.hedge.kv.KeyValue;
import dev.hedge.messaging.BroadcastOptions;
import dev.hedge.messaging.BroadcastResult;
import dev.hedge.messaging.MessagingException;
import dev.hedge.semaphore.HedgeSemaphore;
import dev.hedge.semaphore.Permit;

/**
 * The seeded workload one member drives (reliability-plan.md §4.4): Poisson arrivals at {@code rate} ops/s, each op
 * run on a small pool so a slow op does not stop the clock; the mix is put 40 %, get 25 %, get-all 5 %, send 10 %,
 * broadcast 5 % (at most one per {@code broadcastEvery} per member, otherwise a get), semaphore cycle 10 %
 * (acquire, hold U(50, 300) ms, release; name {@code s1}, limit 2) and the rest gets. The {@code puts} mix is 90 %
 * puts, 10 % gets, for the negative controls. Every op is recorded as an {@link Op}; a put that did not succeed is
 * {@code info} (it may still have reached the leader), a read that failed is {@code fail}.
 *
 * <p>Thread-safe: start and stop are synchronized; ops run on the pool.
 */
final class Workload {

	static final String SEMAPHORE = "s1";

	static final int LIMIT = 2;

	static final Duration OP_DEADLINE = Duration.ofSeconds(8);

	private final HedgeNode node;

	private final String member;

	private final String process;

	private final Recorder recorder;

	private final Random random;

	private final AtomicLong opIds = new AtomicLong();

	private final AtomicLong values = new AtomicLong();

	private final AtomicInteger inFlight = new AtomicInteger();

	private final AtomicLong started = new AtomicLong();

	private final AtomicLong skipped = new AtomicLong();

	private final AtomicLong lastBroadcast = new AtomicLong(System.nanoTime() - Duration.ofSeconds(60).toNanos());

	private final ThreadPoolExecutor pool;

	private volatile Thread driver;

	private volatile boolean running;

	private volatile String prefix = "k";

	private volatile double rate = 9;

	private volatile boolean putsOnly;

	private volatile long broadcastEveryNanos = Duration.ofSeconds(5).toNanos();

	Workload(HedgeNode node, String process, long seed, Recorder recorder) {
		this.node = node;
		this.member = node.nodeId();
		this.process = process;
		this.recorder = recorder;
		this.random = new Random(seed);
		this.pool = new ThreadPoolExecutor(12, 12, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(16),
				(task) -> {
					Thread thread = new Thread(task, "chaos-workload");
					thread.setDaemon(true);
					return thread;
				});
	}

	/**
	 * The workload's key number {@code n} under a prefix: {@code <prefix>k00} to {@code <prefix>k49}.
	 * @param prefix the scenario's key prefix
	 * @param n the key's number
	 * @return the key
	 */
	static String key(String prefix, int n) {
		return prefix + String.format("k%02d", n);
	}

	synchronized void start(String keyPrefix, double opsPerSecond, String mix, long broadcastEveryMillis) {
		stop(Duration.ZERO);
		this.prefix = keyPrefix;
		this.rate = opsPerSecond;
		this.putsOnly = "puts".equals(mix);
		this.broadcastEveryNanos = Duration.ofMillis(broadcastEveryMillis).toNanos();
		this.running = true;
		Thread thread = new Thread(this::drive, "chaos-workload-driver");
		thread.setDaemon(true);
		this.driver = thread;
		thread.start();
	}

	/**
	 * Stops issuing ops and waits up to {@code wait} for those in flight.
	 * @param wait how long to wait
	 * @return the ops still in flight afterwards
	 */
	synchronized int stop(Duration wait) {
		this.running = false;
		Thread thread = this.driver;
		if (thread != null) {
			thread.interrupt();
			try {
				thread.join(1000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.driver = null;
		}
		long end = System.nanoTime() + wait.toNanos();
		while (this.inFlight.get() > 0 && System.nanoTime() - end < 0) {
			sleep(20);
		}
		return this.inFlight.get();
	}

	long started() {
		return this.started.get();
	}

	long skipped() {
		return this.skipped.get();
	}

	int inFlight() {
		return this.inFlight.get();
	}

	private void drive() {
		while (this.running) {
			double gap;
			int choice;
			int key;
			double hold;
			synchronized (this.random) {
				gap = -Math.log(1 - this.random.nextDouble()) / this.rate;
				choice = this.random.nextInt(100);
				key = this.random.nextInt(50);
				hold = 50 + this.random.nextInt(251);
			}
			try {
				Thread.sleep((long) (gap * 1000), (int) ((gap * 1e9) % 1_000_000));
			}
			catch (InterruptedException ex) {
				return;
			}
			if (!this.running) {
				return;
			}
			String k = key(this.prefix, key);
			Runnable op = pick(choice, k, (long) hold);
			try {
				this.inFlight.incrementAndGet();
				this.pool.execute(() -> {
					try {
						op.run();
					}
					catch (RuntimeException ex) {
						System.err.println("workload op failed unexpectedly: " + ex);
						ex.printStackTrace();
					}
					finally {
						this.inFlight.decrementAndGet();
					}
				});
				this.started.incrementAndGet();
			}
			catch (java.util.concurrent.RejectedExecutionException ex) {
				this.inFlight.decrementAndGet();
				this.skipped.incrementAndGet();
			}
		}
	}

	private Runnable pick(int choice, String key, long holdMillis) {
		if (this.putsOnly) {
			return (choice < 90) ? () -> put(key) : () -> get(key);
		}
		if (choice < 40) {
			return () -> put(key);
		}
		if (choice < 65) {
			return () -> get(key);
		}
		if (choice < 70) {
			return () -> getAll(key);
		}
		if (choice < 80) {
			return this::send;
		}
		if (choice < 85) {
			long now = System.nanoTime();
			long last = this.lastBroadcast.get();
			if (now - last >= this.broadcastEveryNanos && this.lastBroadcast.compareAndSet(last, now)) {
				return this::broadcast;
			}
			return () -> get(key);
		}
		if (choice < 95) {
			return () -> semaphoreCycle(holdMillis);
		}
		return () -> get(key);
	}

	private void record(String f, String key, String value, List<String> values, long invoked, String type,
			String error, long epoch) {
		this.recorder.append(Recorder.OPS, new Op(this.process, this.opIds.incrementAndGet(), f, key, value, values,
				invoked, System.nanoTime(), type, error, epoch));
	}

	private void put(String key) {
		String value = this.process + "-" + this.values.incrementAndGet();
		long invoked = System.nanoTime();
		long opId = this.opIds.incrementAndGet();
		// the invocation first (returnNanos = never): a put whose process dies before it returns stays "info"
		this.recorder.append(Recorder.OPS, new Op(this.process, opId, Op.PUT, key, value, null, invoked,
				Long.MAX_VALUE, Op.INFO, "in flight", 0));
		try {
			this.node.kv().put(key, value, value, OP_DEADLINE);
			complete(opId, Op.PUT, key, value, invoked, Op.OK, null);
		}
		catch (RuntimeException ex) {
			// the put may have reached a leader that committed it: unknown
			complete(opId, Op.PUT, key, value, invoked, Op.INFO, describe(ex));
		}
	}

	private void complete(long opId, String f, String key, String value, long invoked, String type, String error) {
		this.recorder.append(Recorder.OPS, new Op(this.process, opId, f, key, value, null, invoked, System.nanoTime(),
				type, error, 0));
	}

	private void get(String key) {
		long invoked = System.nanoTime();
		try {
			Optional<KeyValue> latest = this.node.kv().get(key);
			record(Op.GET, key, latest.map(KeyValue::value).orElse(null), null, invoked, Op.OK, null, 0);
		}
		catch (RuntimeException ex) {
			record(Op.GET, key, null, null, invoked, Op.FAIL, describe(ex), 0);
		}
	}

	private void getAll(String key) {
		long invoked = System.nanoTime();
		try {
			List<String> all = this.node.kv().history(key).stream().map(KeyValue::value).toList();
			record(Op.GET_ALL, key, null, all, invoked, Op.OK, null, 0);
		}
		catch (RuntimeException ex) {
			record(Op.GET_ALL, key, null, null, invoked, Op.FAIL, describe(ex), 0);
		}
	}

	private void send() {
		String message = this.process + "-s" + this.values.incrementAndGet();
		long invoked = System.nanoTime();
		try {
			byte[] reply = this.node.messenger().sendToLeader(message.getBytes(StandardCharsets.UTF_8));
			String text = new String(reply, StandardCharsets.UTF_8);
			long epoch = Long.parseLong(text.substring(0, text.indexOf('|')));
			record(Op.SEND, null, message, null, invoked, text.endsWith("|" + message) ? Op.OK : Op.INFO,
					text.endsWith("|" + message) ? null : "unexpected reply " + text, epoch);
		}
		catch (RuntimeException ex) {
			record(Op.SEND, null, message, null, invoked, (ex instanceof MessagingException m && !m.isRetryable())
					? Op.FAIL : Op.INFO, describe(ex), 0);
		}
	}

	private void broadcast() {
		String message = this.process + "-b" + this.values.incrementAndGet();
		long invoked = System.nanoTime();
		try {
			List<BroadcastResult> results = this.node.messenger()
				.broadcast(message.getBytes(StandardCharsets.UTF_8), BroadcastOptions.all());
			long ok = results.stream().filter(BroadcastResult::ok).count();
			record(Op.BROADCAST, null, message, results.stream().map((r) -> r.member() + (r.ok() ? ":ok" : ":err"))
				.toList(), invoked, Op.OK, (ok == results.size()) ? null : (results.size() - ok) + " failed", 0);
		}
		catch (RuntimeException ex) {
			record(Op.BROADCAST, null, message, null, invoked, Op.INFO, describe(ex), 0);
		}
	}

	private volatile HedgeSemaphore semaphore;

	private void semaphoreCycle(long holdMillis) {
		HedgeSemaphore opened = this.semaphore;
		if (opened == null) {
			// opening defines the semaphore at the leader (a leader call with the default retry policy); it is not
			// part of the timed acquire
			try {
				opened = this.node.semaphore(SEMAPHORE, LIMIT);
				this.semaphore = opened;
			}
			catch (RuntimeException ex) {
				return;
			}
		}
		long invoked = System.nanoTime();
		Permit permit;
		try {
			Optional<Permit> acquired = opened.tryAcquire(Duration.ofSeconds(2));
			if (acquired.isEmpty()) {
				record(Op.ACQUIRE, SEMAPHORE, null, null, invoked, Op.FAIL, "timeout", 0);
				return;
			}
			permit = acquired.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			record(Op.ACQUIRE, SEMAPHORE, null, null, invoked, Op.INFO, "interrupted", 0);
			return;
		}
		catch (RuntimeException ex) {
			record(Op.ACQUIRE, SEMAPHORE, null, null, invoked, Op.INFO, describe(ex), 0);
			return;
		}
		long start = System.nanoTime();
		long deadline = permit.remaining().map((left) -> start + left.toNanos()).orElse(start);
		long grant = AuditedStore.micros(permit.grantedAt());
		record(Op.ACQUIRE, SEMAPHORE, permit.id(), null, invoked, Op.OK, null, permit.epoch());
		this.recorder.append(Recorder.HOLDS,
				new Hold(this.member, permit.id(), SEMAPHORE, LIMIT, start, Long.MAX_VALUE, deadline, grant, 0));
		long until = start + Duration.ofMillis(holdMillis).toNanos();
		long end = Long.MAX_VALUE;
		while (System.nanoTime() - until < 0) {
			long now = System.nanoTime();
			Optional<Duration> left = permit.remaining();
			if (left.isEmpty()) {
				end = now;
				break;
			}
			deadline = Math.max(deadline, now + left.get().toNanos());
			sleep(20);
		}
		long releasing = System.nanoTime();
		if (end == Long.MAX_VALUE) {
			end = releasing;
		}
		long released = 0;
		try {
			Optional<Instant> at = permit.release();
			released = at.map(AuditedStore::micros).orElse(0L);
			record(Op.RELEASE, SEMAPHORE, permit.id(), null, releasing, Op.OK, at.isEmpty() ? "not held" : null,
					permit.epoch());
		}
		catch (RuntimeException ex) {
			record(Op.RELEASE, SEMAPHORE, permit.id(), null, releasing, Op.INFO, describe(ex), permit.epoch());
		}
		this.recorder.append(Recorder.HOLDS,
				new Hold(this.member, permit.id(), SEMAPHORE, LIMIT, start, end, deadline, grant, released));
	}

	private static String describe(Throwable ex) {
		String text = ex.getClass().getSimpleName() + ": " + ex.getMessage();
		return (text.length() > 200) ? text.substring(0, 200) : text;
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
