package dev.hedge.semaphore;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Acquire requests the leader holds while their semaphore is full, in arrival order: each permit released or
 * reclaimed through this leader wakes the longest-waiting request of its semaphore (one, not all: waking every
 * request would send them all to the store for one permit), so a freed permit goes to a waiting member at once instead
 * of at its next retry. At most {@code maxParked} requests wait at a time (each holds a server thread); beyond that a
 * request is answered at once, as without waiting. A permit freed in another way (a new leader, a lapsed holder) is
 * seen when a wait ends.
 *
 * <p>Thread-safe (one monitor); {@link #awaitFreed} blocks its caller for at most the given time and returns at once
 * after {@link #close()}.
 */
final class PermitWaiters {

	/** Most semaphore names with a free count remembered at once. */
	static final int MAX_NAMES = 1024;

	private final int maxParked;

	private final Map<String, Long> generations = new HashMap<>();

	private final Map<String, Deque<Waiter>> queues = new HashMap<>();

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
	 * Wakes the longest-waiting request for {@code name}, if any.
	 * @param name the semaphore
	 */
	synchronized void freed(String name) {
		if (this.generations.size() >= MAX_NAMES && !this.generations.containsKey(name)) {
			// names can be dynamic: forget them all rather than grow; every waiter then sees a change and asks the
			// store once more, which is harmless
			this.generations.clear();
			this.wakeAlls++;
		}
		this.generations.merge(name, 1L, Long::sum);
		Deque<Waiter> queue = this.queues.get(name);
		if (queue != null && !queue.isEmpty()) {
			queue.pollFirst().woken = true;
			notifyAll();
		}
	}

	/** Wakes every waiting request (leadership changed: they retry and learn it). */
	synchronized void wakeAll() {
		this.wakeAlls++;
		for (Deque<Waiter> queue : this.queues.values()) {
			queue.forEach((waiter) -> waiter.woken = true);
			queue.clear();
		}
		notifyAll();
	}

	/**
	 * Waits until a permit of {@code name} freed after {@code seen} is handed to this request, for at most
	 * {@code nanos}.
	 * @param name the semaphore
	 * @param seen the {@link #generation} read before the refused attempt
	 * @param nanos how long at most
	 * @return {@link Wake#FREED} (try again), {@link Wake#TIMED_OUT}, or {@link Wake#REFUSED} without a full wait:
	 * no time left, too many requests waiting, closed, or interrupted (the interrupt is kept)
	 */
	synchronized Wake awaitFreed(String name, long seen, long nanos) {
		if (this.closed || nanos <= 0) {
			return Wake.REFUSED;
		}
		if (generation(name) != seen) {
			return Wake.FREED;
		}
		if (this.parked >= this.maxParked) {
			return Wake.REFUSED;
		}
		Waiter waiter = new Waiter();
		Deque<Waiter> queue = this.queues.computeIfAbsent(name, (n) -> new ArrayDeque<>());
		queue.addLast(waiter);
		this.parked++;
		try {
			long end = System.nanoTime() + nanos;
			while (!this.closed && !waiter.woken) {
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
			if (!waiter.woken) {
				queue.remove(waiter);
			}
			if (queue.isEmpty()) {
				this.queues.remove(name, queue);
			}
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

	private static final class Waiter {

		private boolean woken;

	}

}
