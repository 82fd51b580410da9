package dev.hedge.kv;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hedge.common.NamedThreads;
import dev.hedge.election.Fence;
import dev.hedge.election.Leadership;

/**
 * The leader's writer: takes queued puts and commits them in batches, one store transaction per batch (group
 * commit), each transaction fenced by the leader's epoch. While one commit is in flight, new puts gather for the
 * next. A batch holds at most one put per key, so versions of one key get distinct, ordered commit timestamps.
 *
 * <p>Thread: {@code hedge-<group>-kv-commit}, stopped by {@link #close()}; pending puts then fail.
 */
final class GroupCommitter implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(GroupCommitter.class);

	private final LogStore store;

	private final Leadership leadership;

	private final int maxBatch;

	private final Duration storeTimeout;

	private final CommitObserver observer;

	private final LinkedBlockingQueue<Pending> queue;

	private final Thread thread;

	private volatile boolean running = true;

	GroupCommitter(String group, LogStore store, Leadership leadership, int maxBatch, int maxQueued,
			Duration storeTimeout, CommitObserver observer) {
		this.store = store;
		this.observer = observer;
		this.leadership = leadership;
		this.maxBatch = maxBatch;
		this.storeTimeout = storeTimeout;
		this.queue = new LinkedBlockingQueue<>(maxQueued);
		this.thread = NamedThreads.single(group.replaceAll("[^A-Za-z0-9_.-]", "_"), "kv-commit").newThread(this::run);
		this.thread.start();
	}

	/**
	 * Queues a put.
	 * @param record the row to write
	 * @return completes with the commit timestamp, or fails with a {@link dev.hedge.election.FencedException} (not the
	 * leader any more), a {@link dev.hedge.common.StoreException}, or {@link Busy}
	 */
	CompletableFuture<Instant> submit(LogRecord record) {
		Pending pending = new Pending(record, new CompletableFuture<>());
		if (!this.running || !this.queue.offer(pending)) {
			pending.result.completeExceptionally(new Busy());
		}
		return pending.result;
	}

	private void run() {
		Deque<Pending> carried = new ArrayDeque<>();
		while (this.running) {
			try {
				List<Pending> batch = nextBatch(carried);
				if (!batch.isEmpty()) {
					commit(batch);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
			catch (RuntimeException ex) {
				logger.error("Group commit loop failed", ex);
			}
		}
		failAll(carried);
	}

	private List<Pending> nextBatch(Deque<Pending> carried) throws InterruptedException {
		List<Pending> candidates = new ArrayList<>(carried);
		carried.clear();
		if (candidates.isEmpty()) {
			Pending first = this.queue.poll(100, TimeUnit.MILLISECONDS);
			if (first == null) {
				return List.of();
			}
			candidates.add(first);
		}
		this.queue.drainTo(candidates, this.maxBatch * 2);
		List<Pending> batch = new ArrayList<>();
		Set<String> keys = new HashSet<>();
		for (Pending pending : candidates) {
			if (batch.size() < this.maxBatch && keys.add(pending.record.key())) {
				batch.add(pending);
			}
			else {
				carried.add(pending);
			}
		}
		return batch;
	}

	private void commit(List<Pending> batch) {
		Optional<Fence> fence = this.leadership.fence();
		if (fence.isEmpty()) {
			NotLeading notLeading = new NotLeading();
			batch.forEach((pending) -> pending.result.completeExceptionally(notLeading));
			return;
		}
		List<LogRecord> records = batch.stream().map((pending) -> pending.record).toList();
		try {
			List<Instant> timestamps = this.store.append(fence.get(), records, this.storeTimeout);
			this.observer.committed(fence.get().epoch(), records, timestamps);
			for (int i = 0; i < batch.size(); i++) {
				batch.get(i).result.complete(timestamps.get(i));
			}
		}
		catch (RuntimeException ex) {
			batch.forEach((pending) -> pending.result.completeExceptionally(ex));
		}
	}

	private void failAll(Deque<Pending> carried) {
		Busy closed = new Busy();
		carried.forEach((pending) -> pending.result.completeExceptionally(closed));
		Pending pending;
		while ((pending = this.queue.poll()) != null) {
			pending.result.completeExceptionally(closed);
		}
	}

	@Override
	public void close() {
		this.running = false;
		try {
			this.thread.join(this.storeTimeout.toMillis() + 1000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (this.thread.isAlive()) {
			this.thread.interrupt();
		}
		failAll(new ArrayDeque<>());
	}

	private record Pending(LogRecord record, CompletableFuture<Instant> result) {

	}

	/** The queue is full or the committer is closed: retry (at the same or another leader). */
	static final class Busy extends RuntimeException {

		private static final long serialVersionUID = 1L;

		Busy() {
			super("the leader's write queue is full or closing", null, false, false);
		}

	}

	/** This node stopped leading before the batch was written: nothing was written. */
	static final class NotLeading extends RuntimeException {

		private static final long serialVersionUID = 1L;

		NotLeading() {
			super("not the leader", null, false, false);
		}

	}

}
