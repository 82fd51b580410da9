package dev.hedge.replicator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.InvalidProtocolBufferException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hedge.crdt.ReplicatedData;
import dev.hedge.transport.grpc.proto.CrdtBatch;

/**
 * A durable member's replica in the store ({@link ReplicaSnapshotStore}): every change (local updates and merged
 * values alike) is joined per name into a pending buffer, which the store thread appends as one row sequence every
 * flush interval, at once when a writer waits for it (group commit); once the rows appended since the last whole
 * state outgrow it (and {@code compactAfter}), the whole state is written again and the older rows deleted. At start
 * every row of the group is merged in, the whole state written, and the rows read deleted (they are covered).
 *
 * <p>Why no fence: rows only hold values that merge, a member deletes only rows that a row it has already committed
 * covers, and the join of all rows is never below anything a member stored; a stale or concurrent writer can only
 * add mergeable rows.
 *
 * <p>Threads: {@link #record} runs on the changing thread (with the name's lock held, so cheap); everything that
 * touches the store runs on the store thread given to it. Thread-safe.
 */
final class Durability {

	private static final Logger logger = LoggerFactory.getLogger(Durability.class);

	private final String group;

	private final String rowsReplica;

	private final ReplicaSnapshotStore store;

	private final LocalState state;

	private final ScheduledExecutorService thread;

	private final Duration flushInterval;

	private final Duration storeTimeout;

	private final long compactAfter;

	private final ReplicatorObserver observer;

	private final Object lock = new Object();

	private Map<String, Codec.Named> pending = new LinkedHashMap<>();

	private long recorded;

	private volatile long flushed;

	private final TreeMap<Long, List<CompletableFuture<Void>>> waiters = new TreeMap<>();

	private boolean flushScheduled;

	private long sequence;

	private long appendedSinceWhole;

	private long wholeBytes;

	private volatile boolean loaded;

	private volatile long lastFlushNanos = System.nanoTime();

	private long failures;

	Durability(String group, String rowsReplica, ReplicaSnapshotStore store, LocalState state,
			ScheduledExecutorService thread, ReplicatorOptions options, Duration storeTimeout,
			ReplicatorObserver observer) {
		this.group = group;
		this.rowsReplica = rowsReplica;
		this.store = store;
		this.state = state;
		this.thread = thread;
		this.flushInterval = options.flushInterval();
		this.storeTimeout = storeTimeout;
		this.compactAfter = options.compactAfter();
		this.observer = observer;
	}

	/** Starts loading the stored rows and the periodic flush. */
	void start() {
		this.thread.execute(this::load);
		this.thread.scheduleWithFixedDelay(this::flush, this.flushInterval.toNanos(), this.flushInterval.toNanos(),
				TimeUnit.NANOSECONDS);
	}

	/**
	 * Joins a change into the pending buffer.
	 * @return the change's number (what {@link #awaitFlushed(long)} waits for)
	 */
	@SuppressWarnings({ "unchecked", "rawtypes" })
	long record(String name, DataType<?> type, ReplicatedData<?> value) {
		synchronized (this.lock) {
			Codec.Named held = this.pending.get(name);
			ReplicatedData joined = (held != null) ? ((ReplicatedData) held.value()).merge((ReplicatedData) value)
					: value;
			this.pending.put(name, new Codec.Named(name, type, joined));
			return ++this.recorded;
		}
	}

	/** The number of the latest change recorded. */
	long recorded() {
		synchronized (this.lock) {
			return this.recorded;
		}
	}

	/** Completes once the rows holding change {@code change} (and every earlier one) are committed. */
	CompletableFuture<Void> awaitFlushed(long change) {
		CompletableFuture<Void> done = new CompletableFuture<>();
		synchronized (this.lock) {
			if (this.flushed >= change) {
				return CompletableFuture.completedFuture(null);
			}
			this.waiters.computeIfAbsent(change, (c) -> new ArrayList<>()).add(done);
			if (!this.flushScheduled) {
				this.flushScheduled = true;
				try {
					this.thread.execute(this::flush);
				}
				catch (RejectedExecutionException ex) {
					done.completeExceptionally(new ReplicationException("replicator closed"));
				}
			}
		}
		return done;
	}

	boolean loaded() {
		return this.loaded;
	}

	/** Milliseconds since the last committed flush. */
	long millisSinceFlush() {
		return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - this.lastFlushNanos);
	}

	/** Changes recorded but not yet committed. */
	long unflushed() {
		synchronized (this.lock) {
			return this.recorded - this.flushed;
		}
	}

	/** Appends what is pending (on the store thread). */
	void flush() {
		Map<String, Codec.Named> taken;
		long upTo;
		synchronized (this.lock) {
			this.flushScheduled = false;
			if (this.pending.isEmpty()) {
				return;
			}
			taken = this.pending;
			this.pending = new LinkedHashMap<>();
			upTo = this.recorded;
		}
		long start = System.nanoTime();
		try {
			List<byte[]> rows = encode(taken.values());
			long bytes = append(rows);
			this.appendedSinceWhole += bytes;
			this.observer.flushed(bytes, System.nanoTime() - start);
			flushedUpTo(upTo);
		}
		catch (RuntimeException ex) {
			restore(taken);
			failed("append", ex);
			return;
		}
		if (this.loaded && this.appendedSinceWhole > Math.max(this.compactAfter, this.wholeBytes)) {
			writeWhole();
		}
	}

	/** Writes the whole state as a new row sequence and deletes this member's older rows; false if it failed. */
	private boolean writeWhole() {
		Map<String, Codec.Named> taken;
		long upTo;
		synchronized (this.lock) {
			taken = this.pending;
			this.pending = new LinkedHashMap<>();
			upTo = this.recorded;
		}
		try {
			List<Codec.Named> whole = new ArrayList<>();
			for (LocalState.Entry entry : this.state.entries()) {
				ReplicatedData<?> value = entry.value;
				if (value != null) {
					whole.add(new Codec.Named(entry.name, entry.type, value));
				}
			}
			long bytes = append(encode(whole));
			long wholeSequence = this.sequence;
			flushedUpTo(upTo);
			this.wholeBytes = bytes;
			this.appendedSinceWhole = 0;
			this.store.deleteUpTo(this.group, this.rowsReplica, wholeSequence - 1, this.storeTimeout);
			return true;
		}
		catch (RuntimeException ex) {
			restore(taken);
			failed("whole-state write", ex);
			return false;
		}
	}

	private long append(List<byte[]> rows) {
		long bytes = 0;
		for (byte[] row : rows) {
			bytes += row.length;
		}
		this.sequence++;
		this.store.append(this.group, this.rowsReplica, this.sequence, rows, this.storeTimeout);
		this.lastFlushNanos = System.nanoTime();
		return bytes;
	}

	private static List<byte[]> encode(Iterable<Codec.Named> values) {
		List<byte[]> rows = new ArrayList<>();
		for (CrdtBatch batch : Chunker.batches(ReplicaSnapshotStore.MAX_ROW_BYTES / 2, values)) {
			rows.add(batch.toByteArray());
		}
		return rows;
	}

	private void flushedUpTo(long upTo) {
		List<CompletableFuture<Void>> done = new ArrayList<>();
		synchronized (this.lock) {
			this.flushed = Math.max(this.flushed, upTo);
			Map<Long, List<CompletableFuture<Void>>> ready = this.waiters.headMap(upTo, true);
			ready.values().forEach(done::addAll);
			ready.clear();
			if (!this.waiters.isEmpty() && !this.flushScheduled) {
				// writers wait for changes recorded meanwhile: commit them at once (group commit)
				this.flushScheduled = true;
				try {
					this.thread.execute(this::flush);
				}
				catch (RejectedExecutionException ex) {
					// closed: the waiters are failed by close
				}
			}
		}
		done.forEach((future) -> future.complete(null));
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private void restore(Map<String, Codec.Named> taken) {
		synchronized (this.lock) {
			taken.forEach((name, named) -> {
				Codec.Named held = this.pending.get(name);
				ReplicatedData joined = (held != null)
						? ((ReplicatedData) named.value()).merge((ReplicatedData) held.value()) : named.value();
				this.pending.put(name, new Codec.Named(name, named.type(), joined));
			});
		}
	}

	private void failed(String what, RuntimeException ex) {
		this.failures++;
		if (Long.bitCount(this.failures) == 1) {
			logger.warn("Replicated data: the {} of replica {} failed ({} failures so far); retrying every {}", what,
					this.rowsReplica, this.failures, this.flushInterval, ex);
		}
	}

	/** Merges every stored row, writes the whole state, deletes the rows read; retried until it succeeds. */
	private void load() {
		if (this.loaded) {
			return;
		}
		Map<String, Long> read = new HashMap<>();
		long[] counts = new long[2];
		long start = System.nanoTime();
		try {
			this.store.readAll(this.group, (row) -> {
				read.merge(row.replica(), row.sequence(), Math::max);
				counts[0]++;
				counts[1] += row.data().length;
				try {
					for (Codec.Named named : Codec.decode(CrdtBatch.parseFrom(row.data()))) {
						this.state.merge(named.key(), named.type(), named.value());
					}
				}
				catch (InvalidProtocolBufferException | MalformedDataException ex) {
					logger.warn("Skipped stored row {}/{}/{} of group '{}': {}", row.replica(), row.sequence(),
							row.part(), this.group, ex.getMessage());
				}
			}, this.storeTimeout.multipliedBy(10));
		}
		catch (RuntimeException ex) {
			failed("load of the stored replicas", ex);
			try {
				this.thread.schedule(this::load, this.flushInterval.toMillis() * 10, TimeUnit.MILLISECONDS);
			}
			catch (RejectedExecutionException closed) {
				// closed meanwhile
			}
			return;
		}
		this.loaded = true;
		if (!writeWhole()) {
			// the rows read are not covered by a whole state of this member: keep them (a later start merges them)
			return;
		}
		read.remove(this.rowsReplica);
		for (Map.Entry<String, Long> replica : read.entrySet()) {
			try {
				this.store.deleteUpTo(this.group, replica.getKey(), replica.getValue(), this.storeTimeout);
			}
			catch (RuntimeException ex) {
				logger.debug("Could not delete the rows of {} (a later start will): {}", replica.getKey(),
						ex.getMessage());
			}
		}
		logger.info("Replicated data of group '{}': merged {} stored rows ({} bytes) of {} replicas in {} ms",
				this.group, counts[0], counts[1], read.size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
	}

	/** Commits what is pending, as the node closes (on the store thread, waited for by the caller). */
	void finalFlush() {
		flush();
	}

	/** Fails every waiter (close). */
	void failWaiters() {
		List<CompletableFuture<Void>> all = new ArrayList<>();
		synchronized (this.lock) {
			this.waiters.values().forEach(all::addAll);
			this.waiters.clear();
		}
		all.forEach((future) -> future.completeExceptionally(new ReplicationException("replicator closed")));
	}

}
