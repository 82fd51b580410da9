package dev.hedge.kv;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.hedge.common.StoreException;
import dev.hedge.election.Fence;
import dev.hedge.election.Leadership;
import dev.hedge.election.LeadershipListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The leader's group committer against an in-memory log store: its bounds (queued puts, one hot key, bytes per
 * transaction), the isolation of a put the database refuses, and what happens around commits.
 */
class GroupCommitterTests {

	private static final Fence FENCE = new Fence("g", 1);

	private GroupCommitter committer;

	@AfterEach
	void close() {
		if (this.committer != null) {
			this.committer.close();
		}
	}

	private GroupCommitter committer(LogStore store, KeyValueOptions options, CommitObserver observer) {
		this.committer = new GroupCommitter("g", store, new Leading(), options, Duration.ofSeconds(5), observer);
		return this.committer;
	}

	private static long inSeconds(int seconds) {
		return System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
	}

	@Test
	void oneHotKeyNeverHoldsMoreThanMaxQueuedPutsAtTheLeader() throws Exception {
		// review finding L1: puts held back for a later batch (one per key per batch) bypassed the bound, so callers
		// that keep submitting (as timed-out callers retrying do) grew the leader's heap without limit
		SlowStore store = new SlowStore(Duration.ofMillis(5), (records) -> false);
		GroupCommitter committer = committer(store, new KeyValueOptions(Duration.ofSeconds(10), 16, 100, 4096, 1024),
				CommitObserver.NONE);
		AtomicBoolean stop = new AtomicBoolean();
		AtomicInteger busy = new AtomicInteger();
		AtomicInteger most = new AtomicInteger();
		ExecutorService writers = Executors.newFixedThreadPool(8);
		try {
			for (int t = 0; t < 8; t++) {
				writers.execute(() -> {
					while (!stop.get()) {
						committer.submit(new LogRecord("hot", UUID.randomUUID().toString(), "v", "leader:1"),
								inSeconds(10))
							.whenComplete((at, error) -> {
								if (error instanceof GroupCommitter.Busy) {
									busy.incrementAndGet();
								}
							});
						most.accumulateAndGet(committer.outstanding(), Math::max);
						Thread.onSpinWait();
					}
				});
			}
			Thread.sleep(1500);
		}
		finally {
			stop.set(true);
			writers.shutdown();
			writers.awaitTermination(20, TimeUnit.SECONDS);
		}
		assertThat(most.get()).as("most puts outstanding at once").isLessThanOrEqualTo(100);
		assertThat(busy.get()).as("puts refused (retryably) beyond the bound").isPositive();
		assertThat(store.committed.get()).isPositive();
	}

	@Test
	void aPutTheDatabaseRefusesFailsAloneAndBatchesStayUnderTheByteBound() throws Exception {
		// review finding L2: one transaction per batch, unbounded in bytes, and every put of a refused batch failed
		// (retryably, into equally refused batches) until its timeout
		SlowStore store = new SlowStore(Duration.ofMillis(20), (records) -> records.stream()
			.anyMatch((record) -> record.value().equals("poison")));
		long bound = 20_000;
		GroupCommitter committer = committer(store,
				new KeyValueOptions(Duration.ofSeconds(10), 256, 10_000, 4096, 16_384, bound), CommitObserver.NONE);
		List<CompletableFuture<Instant>> puts = new ArrayList<>();
		CompletableFuture<Instant> poison = null;
		for (int i = 0; i < 60; i++) {
			String value = (i == 30) ? "poison" : "x".repeat(4000);
			CompletableFuture<Instant> put = committer.submit(new LogRecord("k" + i, "id" + i, value, "leader:1"),
					inSeconds(20));
			if (i == 30) {
				poison = put;
			}
			else {
				puts.add(put);
			}
		}
		for (CompletableFuture<Instant> put : puts) {
			assertThat(put.get(20, TimeUnit.SECONDS)).isNotNull();
		}
		CompletableFuture<Instant> refused = poison;
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> refused.get(20, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOf(InvalidKeyValueException.class)
			.withMessageContaining("refused the put of 'k30'");
		assertThat(store.batchBytes).as("bytes per transaction").allMatch((bytes) -> bytes <= bound);
	}

	@Test
	void aPutStillQueuedAfterItsCallersDeadlineIsNotWritten() throws Exception {
		SlowStore store = new SlowStore(Duration.ofMillis(300), (records) -> false);
		GroupCommitter committer = committer(store, KeyValueOptions.DEFAULTS, CommitObserver.NONE);
		CompletableFuture<Instant> first = committer.submit(new LogRecord("k", "a", "v", "leader:1"), inSeconds(10));
		// the same key waits for the next batch, behind a 300 ms commit, with a 50 ms deadline
		CompletableFuture<Instant> late = committer.submit(new LogRecord("k", "b", "v", "leader:1"),
				System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50));
		first.get(10, TimeUnit.SECONDS);
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> late.get(10, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOf(GroupCommitter.Expired.class);
		assertThat(store.written).extracting(LogRecord::id).containsExactly("a");
	}

	@Test
	void anObserverThatThrowsDoesNotFailPutsThatCommitted() throws Exception {
		SlowStore store = new SlowStore(Duration.ZERO, (records) -> false);
		GroupCommitter committer = committer(store, KeyValueOptions.DEFAULTS, (epoch, records, timestamps) -> {
			throw new IllegalStateException("observer bug");
		});
		assertThat(committer.submit(new LogRecord("k", "a", "v", "leader:1"), inSeconds(10)).get(10, TimeUnit.SECONDS))
			.isNotNull();
	}

	/** A log store in memory that takes {@code delay} per append and refuses batches {@code refuses} matches. */
	static final class SlowStore implements LogStore {

		private final Duration delay;

		private final Predicate<List<LogRecord>> refuses;

		final AtomicInteger committed = new AtomicInteger();

		final List<Long> batchBytes = new CopyOnWriteArrayList<>();

		final List<LogRecord> written = new CopyOnWriteArrayList<>();

		SlowStore(Duration delay, Predicate<List<LogRecord>> refuses) {
			this.delay = delay;
			this.refuses = refuses;
		}

		@Override
		public List<Instant> append(Fence fence, List<LogRecord> records, Duration timeout) {
			try {
				Thread.sleep(this.delay.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			if (this.refuses.test(records)) {
				throw new StoreException("value refused", null, false, true);
			}
			this.batchBytes.add(records.stream().mapToLong(LogRecord::bytes).sum());
			this.written.addAll(records);
			this.committed.addAndGet(records.size());
			Instant now = Instant.now();
			return records.stream().map((record) -> now).toList();
		}

		@Override
		public List<LogEntry> read(String key, LogQuery query, Duration timeout) {
			return List.of();
		}

	}

	/** Always leading in epoch 1. */
	static final class Leading implements Leadership {

		@Override
		public String nodeId() {
			return "leader:1";
		}

		@Override
		public boolean isLeader() {
			return true;
		}

		@Override
		public Optional<String> leaderId() {
			return Optional.of("leader:1");
		}

		@Override
		public long epoch() {
			return 1;
		}

		@Override
		public Optional<Duration> leaseRemaining() {
			return Optional.of(Duration.ofSeconds(10));
		}

		@Override
		public Optional<Fence> fence() {
			return Optional.of(FENCE);
		}

		@Override
		public void addListener(LeadershipListener listener) {
		}

		@Override
		public void removeListener(LeadershipListener listener) {
		}

	}

}
