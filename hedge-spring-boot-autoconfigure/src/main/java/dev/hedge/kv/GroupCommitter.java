package dev.hedge.kv;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hedge.common.NamedThreads;
import dev.hedge.common.StoreException;
import dev.hedge.election.Fence;
import dev.hedge.election.Leadership;

/**
 * The leader's writer: takes queued puts and commits them in batches, one store transaction per batch (group
 * commit), each transaction fenced by the leader's epoch. While one commit is in flight, new puts gather for the
 * next. A batch holds at most one put per key (so versions of one key get distinct, ordered commit timestamps), at
 * most {@code maxBatch} puts and at most {@code maxBatchBytes} of data (the database's transaction size limit: on
 * Spanner 100 MiB, values counted twice by the time index).
 *
 * <p>Bounded: at most {@code maxQueued} puts wait, those held back for a later batch (several puts to one key)
 * included; beyond that a put is refused at once with {@link Busy} (retryable). A put whose caller's deadline has
 * passed is dropped before it is written (its caller retries with the same id, which the store deduplicates). A batch
 * the database refuses as a whole because of one put's data is split until that put is alone: only it fails, with
 * {@link InvalidKeyValueException}.
 *
 * <p>Thread: {@code hedge-<group>-kv-commit}, stopped by {@link #close()}; pending puts then fail.
 */
final class GroupCommitter implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(GroupCommitter.class);

	private final LogStore store;

	private final Leadership leadership;

	private final int maxBatch;

	private final long maxBatchBytes;

	private final int maxQueued;

	private final Duration storeTimeout;

	private final CommitObserver observer;

	private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();

	/** Puts submitted and not yet completed: queued, held back for a later batch, or being written. */
	private final AtomicInteger outstanding = new AtomicInteger();

	private final Thread thread;

	private volatile boolean running = true;

	GroupCommitter(String group, LogStore store, Leadership leadership, KeyValueOptions options, Duration storeTimeout,
			CommitObserver observer) {
		this.store = store;
		this.observer = observer;
		this.leadership = leadership;
		this.maxBatch = options.maxBatch();
		this.maxBatchBytes = options.maxBatchBytes();
		this.maxQueued = options.maxQueued();
		this.storeTimeout = storeTimeout;
		this.thread = NamedThreads.single(NamedThreads.owner(group), "kv-commit").newThread(this::run);
		this.thread.start();
	}

	/**
	 * Queues a put.
	 * @param record the row to write
	 * @param deadline when the caller stops waiting ({@link System#nanoTime()}); the put is dropped unwritten if it is
	 * still queued then
	 * @return completes with the commit timestamp, or fails with a {@link dev.hedge.election.FencedException} or
	 * {@link NotLeading} (not the leader any more: nothing written), a {@link StoreException}, {@link Busy}, an
	 * {@link Expired} put, or {@link InvalidKeyValueException} when the database refuses the put's data
	 */
	CompletableFuture<Instant> submit(LogRecord record, long deadline) {
		Pending pending = new Pending(record, deadline, new CompletableFuture<>());
		if (!this.running || !admitted()) {
			pending.result.completeExceptionally(new Busy());
			return pending.result;
		}
		pending.result.whenComplete((at, error) -> this.outstanding.decrementAndGet());
		this.queue.add(pending);
		if (!this.running && this.queue.remove(pending)) {
			// closed while this put was being queued, after the committer's last drain
			pending.result.completeExceptionally(new Busy());
		}
		return pending.result;
	}

	/** Takes one of the {@code maxQueued} places, if one is free. */
	private boolean admitted() {
		int current;
		do {
			current = this.outstanding.get();
			if (current >= this.maxQueued) {
				return false;
			}
		}
		while (!this.outstanding.compareAndSet(current, current + 1));
		return true;
	}

	/**
	 * Puts submitted and not yet completed (for tests and metrics).
	 * @return the count
	 */
	int outstanding() {
		return this.outstanding.get();
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
		if (carried.isEmpty()) {
			Pending first = this.queue.poll(100, TimeUnit.MILLISECONDS);
			if (first == null) {
				return List.of();
			}
			carried.add(first);
		}
		this.queue.drainTo(carried);
		List<Pending> batch = new ArrayList<>();
		Set<String> keys = new HashSet<>();
		long bytes = 0;
		long now = System.nanoTime();
		for (Iterator<Pending> waiting = carried.iterator(); waiting.hasNext() && batch.size() < this.maxBatch;) {
			Pending pending = waiting.next();
			if (now - pending.deadline > 0) {
				waiting.remove();
				pending.result.completeExceptionally(new Expired());
				continue;
			}
			long size = pending.record.bytes();
			if (!batch.isEmpty() && bytes + size > this.maxBatchBytes) {
				break;
			}
			if (keys.add(pending.record.key())) {
				waiting.remove();
				batch.add(pending);
				bytes += size;
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
		commit(fence.get(), batch);
	}

	/** Commits the batch; a batch the database refuses for its data is split until the refused put is alone. */
	private void commit(Fence fence, List<Pending> batch) {
		List<LogRecord> records = batch.stream().map((pending) -> pending.record).toList();
		List<Instant> timestamps;
		try {
			timestamps = this.store.append(fence, records, this.storeTimeout);
		}
		catch (StoreException ex) {
			if (ex.isRejected() && batch.size() > 1) {
				commit(fence, batch.subList(0, batch.size() / 2));
				commit(fence, batch.subList(batch.size() / 2, batch.size()));
			}
			else if (ex.isRejected()) {
				batch.get(0).result.completeExceptionally(
						new InvalidKeyValueException("the store refused the put of '" + records.get(0).key() + "': "
								+ ex.getMessage()));
			}
			else {
				batch.forEach((pending) -> pending.result.completeExceptionally(ex));
			}
			return;
		}
		catch (RuntimeException ex) {
			batch.forEach((pending) -> pending.result.completeExceptionally(ex));
			return;
		}
		for (int i = 0; i < batch.size(); i++) {
			batch.get(i).result.complete(timestamps.get(i));
		}
		try {
			this.observer.committed(fence.epoch(), records, timestamps);
		}
		catch (RuntimeException ex) {
			logger.error("Commit observer failed after a committed batch of {} puts", records.size(), ex);
		}
	}

	private void failAll(Deque<Pending> carried) {
		Busy closed = new Busy();
		carried.forEach((pending) -> pending.result.completeExceptionally(closed));
		carried.clear();
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

	private record Pending(LogRecord record, long deadline, CompletableFuture<Instant> result) {

	}

	/** Too many puts wait at the leader, or the committer is closed: retry (at the same or another leader). */
	static final class Busy extends RuntimeException {

		private static final long serialVersionUID = 1L;

		Busy() {
			super("the leader's write queue is full or closing", null, false, false);
		}

	}

	/** The put waited past its caller's deadline and was dropped unwritten. */
	static final class Expired extends RuntimeException {

		private static final long serialVersionUID = 1L;

		Expired() {
			super("the put waited at the leader past its caller's deadline and was not written", null, false, false);
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
