package dev.hedge.sos;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One segment a peer holds for an origin: the records of one Write stream, in this member's memory first, then its
 * disk (forward only), within this member's own budget. One appender (its Write stream); readers read committed
 * records. Thread-safe.
 */
final class HeldSegment {

	final long number;

	private final NodeResources resources;

	private final ReentrantLock lock = new ReentrantLock();

	private final SegmentIndex index = new SegmentIndex();

	private final MemoryTier memory;

	private final DiskTier disk;

	private boolean memoryFull;

	private boolean freed;

	HeldSegment(NodeResources resources, long number) {
		this.resources = resources;
		this.number = number;
		String label = "sos-held-" + UUID.randomUUID();
		this.memory = new MemoryTier(resources, label);
		this.disk = new DiskTier(resources, label);
	}

	/**
	 * Stores a record.
	 * @return null if stored, else why this member cannot take it
	 */
	String append(byte[] record) {
		this.lock.lock();
		try {
			if (this.freed) {
				return "the segment was deleted";
			}
			if (!this.memoryFull) {
				long at = this.memory.append(record, 0, record.length);
				if (at >= 0) {
					this.index.appendLocal(Location.MEMORY, at, record.length);
					return null;
				}
				this.memoryFull = true;
			}
			long at = this.disk.append(record, 0, record.length);
			if (at >= 0) {
				this.index.appendLocal(Location.DISK, at, record.length);
				return null;
			}
			Budget budget = this.resources.budget;
			return "memory and disk full (memory " + budget.memoryUsed() + " of " + budget.memoryLimit()
					+ " bytes used, disk " + budget.diskUsed() + " of " + budget.diskLimit() + ")";
		}
		finally {
			this.lock.unlock();
		}
	}

	long records() {
		this.lock.lock();
		try {
			return this.index.records();
		}
		finally {
			this.lock.unlock();
		}
	}

	List<SegmentIndex.RunView> snapshot() {
		this.lock.lock();
		try {
			return this.index.snapshot();
		}
		finally {
			this.lock.unlock();
		}
	}

	MemoryTier memory() {
		return this.memory;
	}

	DiskTier disk() {
		return this.disk;
	}

	TierStats memoryStats() {
		return new TierStats(this.memory.records(), this.memory.bytes());
	}

	TierStats diskStats() {
		return new TierStats(this.disk.records(), this.disk.bytes());
	}

	/** Frees the tiers (waiting for running reads and the running append). Idempotent. */
	void free() {
		this.lock.lock();
		try {
			this.freed = true;
		}
		finally {
			this.lock.unlock();
		}
		this.memory.close();
		this.disk.close();
	}

}
