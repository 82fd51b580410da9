package dev.hedge.semaphore;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Acquire requests the leader holds while their semaphore is full, woken when a permit of that semaphore is freed
 * (released or reclaimed through this leader), so a freed permit goes to a waiting member at once instead of at its
 * next retry. At most {@code maxParked} requests wait at a time (each holds a server thread); beyond that a request
 * is answered at once, as before. A permit freed in another way (a new leader, a lapsed holder) is seen when the
 * wait ends.
 *
 * <p>Thread-safe (one monitor); {@link #awaitFreed} blocks its caller for at most the given time and returns at once
 * after {@link #close()}.
 */
final class PermitWaiters {

	private final int maxParked;

	private final Map<String, Long> generations = new HashMap<>();

	private long wakeAlls;

	private int parked;

	private boolean closed;

	PermitWaiters(int maxParked) {
		this.maxParked = maxParked;
	}

	/**
	 * How many times a permit of {@code name} was freed so far; read it before the grant attempt a wait follows, so
	 * a permit freed in between is not missed.
	 * @param name the semaphore
	 * @return the count
	 */
	synchronized long generation(String name) {
		return this.wakeAlls + this.generations.getOrDefault(name, 0L);
	}

	/**
	 * Wakes the requests waiting for {@code name}.
	 * @param name the semaphore
	 */
	synchronized void freed(String name) {
		this.generations.merge(name, 1L, Long::sum);
		notifyAll();
	}

	/** Wakes every waiting request (leadership changed: they retry and learn it). */
	synchronized void wakeAll() {
		this.wakeAlls++;
		notifyAll();
	}

	/**
	 * Waits until a permit of {@code name} is freed after {@code seen}, for at most {@code nanos}.
	 * @param name the semaphore
	 * @param seen the {@link #generation} read before the refused attempt
	 * @param nanos how long at most
	 * @return {@link Wake#FREED} (try again), {@link Wake#TIMED_OUT}, or {@link Wake#REFUSED} without a full wait:
	 * no time left, too many requests waiting, closed, or interrupted (the interrupt is kept)
	 */
	synchronized Wake awaitFreed(String name, long seen, long nanos) {
		if (this.closed || this.parked >= this.maxParked || nanos <= 0) {
			return Wake.REFUSED;
		}
		this.parked++;
		try {
			long end = System.nanoTime() + nanos;
			while (!this.closed && generation(name) == seen) {
				long left = end - System.nanoTime();
				if (left <= 0) {
					return Wake.TIMED_OUT;
				}
				TimeUnit.NANOSECONDS.timedWait(this, left);
			}
			return this.closed ? Wake.REFUSED : Wake.FREED;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Wake.REFUSED;
		}
		finally {
			this.parked--;
		}
	}

	/**
	 * How many requests wait now.
	 * @return the count
	 */
	synchronized int parked() {
		return this.parked;
	}

	/** Wakes every waiting request and refuses new waits. */
	synchronized void close() {
		this.closed = true;
		notifyAll();
	}

	/** How a wait ended. */
	enum Wake {

		/** A permit was freed: try again. */
		FREED,

		/** The whole wait passed without a freed permit. */
		TIMED_OUT,

		/** Not waited (or cut short): answer as without a wait. */
		REFUSED

	}

}
