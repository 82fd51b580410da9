package dev.hedge.sos;

import java.util.Arrays;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VarBinaryVector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records in off-heap Arrow memory: a list of {@link VarBinaryVector} batches, each allocated once at a fixed
 * capacity (never reallocated, so readers can read committed records while the appender fills the batch). A batch's
 * Arrow buffers are reserved in the member's {@link Budget} before they are allocated, then the reservation is
 * corrected to what the allocator reports. Batches start at 64 KiB of data and double up to 4 MiB (or the record's
 * size, rounded up to a power of two); when the budget has no room for a batch, smaller ones down to the record's
 * size are tried, then the tier refuses.
 *
 * <p>One appender at a time (the owner serialises appends); any number of concurrent readers; {@link #close()} waits
 * for running reads and appends, after which reads throw {@link SosClosedException}.
 */
final class MemoryTier implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(MemoryTier.class);

	static final long MIN_BATCH = 64 << 10;

	static final long MAX_BATCH = 4 << 20;

	private static final long LARGEST_BATCH = 1L << 30;

	private final NodeResources resources;

	private final String name;

	private final ReentrantReadWriteLock guard = new ReentrantReadWriteLock();

	private BufferAllocator allocator;

	private volatile Batch[] batches = new Batch[0];

	private long nextBatchBytes = MIN_BATCH;

	private long reserved;

	private volatile long records;

	private volatile long bytes;

	private boolean closed;

	MemoryTier(NodeResources resources, String name) {
		this.resources = resources;
		this.name = name;
	}

	/**
	 * Appends a record if the budget allows.
	 * @return the record's index in this tier, or -1 if the tier has no room (or is closed)
	 */
	long append(byte[] source, int offset, int length) {
		this.guard.readLock().lock();
		try {
			if (this.closed) {
				return -1;
			}
			Batch[] current = this.batches;
			Batch batch = (current.length > 0) ? current[current.length - 1] : null;
			if (batch == null || !batch.fits(length)) {
				batch = newBatch(length);
				if (batch == null) {
					return -1;
				}
			}
			int slot = batch.count;
			batch.vector.set(slot, source, offset, length);
			batch.used += length;
			batch.count = slot + 1;
			long index = this.records;
			this.bytes += length;
			this.records = index + 1;
			return index;
		}
		finally {
			this.guard.readLock().unlock();
		}
	}

	private Batch newBatch(int length) {
		long smallest = Math.max(4096, nextPowerOfTwo(length));
		if (smallest > LARGEST_BATCH) {
			return null;
		}
		long data = Math.max(smallest, this.nextBatchBytes);
		while (data >= smallest) {
			int values = (int) Math.max(16, data / 128);
			long estimate = data + nextPowerOfTwo(values * 4L + values / 8 + 16);
			if (this.resources.budget.reserveMemory(estimate)) {
				Batch batch = allocate(data, values, estimate);
				if (batch != null) {
					this.nextBatchBytes = Math.min(MAX_BATCH, data * 2);
					return batch;
				}
				return null;
			}
			data /= 2;
		}
		return null;
	}

	private Batch allocate(long data, int values, long estimate) {
		VarBinaryVector vector = null;
		try {
			if (this.allocator == null) {
				this.allocator = this.resources.newChild(this.name);
			}
			long before = this.allocator.getAllocatedMemory();
			vector = new VarBinaryVector("records", this.allocator);
			vector.allocateNew(data, values);
			long actual = this.allocator.getAllocatedMemory() - before;
			this.resources.budget.adjustMemory(actual - estimate);
			this.reserved += actual;
			Batch batch = new Batch(this.records, vector, (int) Math.min(vector.getValueCapacity(), Integer.MAX_VALUE),
					vector.getDataBuffer().capacity(), actual);
			Batch[] current = this.batches;
			Batch[] next = Arrays.copyOf(current, current.length + 1);
			next[current.length] = batch;
			this.batches = next;
			return batch;
		}
		catch (RuntimeException ex) {
			// Arrow's OutOfMemoryException, or the allocator closed under us: the tier is full
			if (vector != null) {
				vector.close();
			}
			this.resources.budget.releaseMemory(estimate);
			logger.debug("Spill-over memory batch of {} bytes not allocated: {}", data, ex.toString());
			return null;
		}
	}

	/**
	 * A copy of a committed record.
	 * @param index the record's index in this tier
	 * @return the record
	 * @throws SosClosedException if the tier was closed
	 */
	byte[] get(long index) {
		this.guard.readLock().lock();
		try {
			if (this.closed) {
				throw new SosClosedException("spill-over store '" + this.name + "' was deleted");
			}
			Batch batch = find(this.batches, index);
			int slot = (int) (index - batch.first);
			int start = batch.vector.getOffsetBuffer().getInt((long) slot * 4);
			int end = batch.vector.getOffsetBuffer().getInt((long) (slot + 1) * 4);
			byte[] record = new byte[end - start];
			batch.vector.getDataBuffer().getBytes(start, record, 0, record.length);
			return record;
		}
		finally {
			this.guard.readLock().unlock();
		}
	}

	private static Batch find(Batch[] batches, long index) {
		int low = 0;
		int high = batches.length - 1;
		while (low < high) {
			int mid = (low + high + 1) >>> 1;
			if (batches[mid].first <= index) {
				low = mid;
			}
			else {
				high = mid - 1;
			}
		}
		Batch batch = batches[low];
		if (index < batch.first || index >= batch.first + batch.count) {
			throw new IllegalStateException("record " + index + " is not in the memory tier");
		}
		return batch;
	}

	long records() {
		return this.records;
	}

	long bytes() {
		return this.bytes;
	}

	/** Frees every batch and the child allocator, and returns the reservation. Idempotent. */
	@Override
	public void close() {
		this.guard.writeLock().lock();
		try {
			if (this.closed) {
				return;
			}
			this.closed = true;
			for (Batch batch : this.batches) {
				batch.vector.close();
			}
			this.batches = new Batch[0];
			if (this.allocator != null) {
				try {
					this.allocator.close();
				}
				catch (RuntimeException ex) {
					logger.error("Spill-over memory of '{}' still allocated at close: {}", this.name, ex.getMessage());
				}
			}
			this.resources.budget.releaseMemory(this.reserved);
			this.reserved = 0;
		}
		finally {
			this.guard.writeLock().unlock();
		}
	}

	static long nextPowerOfTwo(long value) {
		if (value <= 1) {
			return 1;
		}
		return Long.highestOneBit(value - 1) << 1;
	}

	/** One fixed-capacity vector. {@code count} is published after the record is written. */
	private static final class Batch {

		final long first;

		final VarBinaryVector vector;

		final int valueCapacity;

		final long dataCapacity;

		final long allocated;

		long used;

		volatile int count;

		Batch(long first, VarBinaryVector vector, int valueCapacity, long dataCapacity, long allocated) {
			this.first = first;
			this.vector = vector;
			this.valueCapacity = valueCapacity;
			this.dataCapacity = dataCapacity;
			this.allocated = allocated;
		}

		boolean fits(int length) {
			return this.count < this.valueCapacity && this.used + length <= this.dataCapacity;
		}

	}

}
