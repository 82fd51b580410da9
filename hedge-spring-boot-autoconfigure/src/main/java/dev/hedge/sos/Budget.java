package dev.hedge.sos;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One member's memory and disk allowance, shared by its own stores and the segments it holds for others. A
 * reservation either fits entirely under the limit or is refused. Thread-safe (lock-free).
 */
final class Budget {

	private final long memoryLimit;

	private final long diskLimit;

	private final AtomicLong memoryUsed = new AtomicLong();

	private final AtomicLong diskUsed = new AtomicLong();

	Budget(long memoryLimit, long diskLimit) {
		this.memoryLimit = memoryLimit;
		this.diskLimit = diskLimit;
	}

	boolean reserveMemory(long bytes) {
		return reserve(this.memoryUsed, this.memoryLimit, bytes);
	}

	/** Corrects a reservation to what was really allocated (may briefly exceed the limit by the difference). */
	void adjustMemory(long delta) {
		this.memoryUsed.addAndGet(delta);
	}

	void releaseMemory(long bytes) {
		this.memoryUsed.addAndGet(-bytes);
	}

	boolean reserveDisk(long bytes) {
		return reserve(this.diskUsed, this.diskLimit, bytes);
	}

	void releaseDisk(long bytes) {
		this.diskUsed.addAndGet(-bytes);
	}

	long memoryUsed() {
		return this.memoryUsed.get();
	}

	long diskUsed() {
		return this.diskUsed.get();
	}

	long memoryLimit() {
		return this.memoryLimit;
	}

	long diskLimit() {
		return this.diskLimit;
	}

	private static boolean reserve(AtomicLong used, long limit, long bytes) {
		while (true) {
			long current = used.get();
			if (current + bytes > limit) {
				return false;
			}
			if (used.compareAndSet(current, current + bytes)) {
				return true;
			}
		}
	}

}
