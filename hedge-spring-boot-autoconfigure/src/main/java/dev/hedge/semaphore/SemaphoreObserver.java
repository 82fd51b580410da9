package dev.hedge.semaphore;

import java.time.Instant;

/**
 * Hooks on the leader's semaphore decisions, for metrics and audits. Called on the thread that made the decision;
 * implementations must be quick and must not throw.
 */
public interface SemaphoreObserver {

	/** Observes nothing. */
	SemaphoreObserver NONE = new SemaphoreObserver() {
	};

	/**
	 * A permit was granted (commit timestamp {@code at}, under {@code epoch}).
	 * @param name the semaphore
	 * @param permitId the permit
	 * @param holder the holder
	 * @param epoch the granting leader's epoch
	 * @param at the commit timestamp
	 */
	default void granted(String name, String permitId, String holder, long epoch, Instant at) {
	}

	/**
	 * A permit was released by its holder, or reclaimed because the holder was declared dead.
	 * @param name the semaphore
	 * @param permitId the permit
	 * @param holder the holder
	 * @param reclaimed whether it was reclaimed
	 * @param epoch the leader's epoch
	 * @param at the commit timestamp
	 */
	default void released(String name, String permitId, String holder, boolean reclaimed, long epoch, Instant at) {
	}

}
