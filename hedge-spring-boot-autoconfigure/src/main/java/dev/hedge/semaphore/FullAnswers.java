package dev.hedge.semaphore;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The leader's memory of recent "full" answers, so that a client retrying a permit the store has just refused is
 * refused again without another grant transaction (under contention, retries were most of the store's transactions).
 * Refusing is always safe for the limit; for idempotency a request is answered from memory only if the store itself
 * refused that same permit id within {@link #TRUST} and no grant of that id is in flight, and any grant, release or
 * reclaim of the semaphore through this leader forgets the semaphore's answers (so a freed permit is seen at once; one
 * freed by expiry within {@link #TRUST}). Forgotten entirely when this node becomes leader.
 *
 * <p>Thread-safe (synchronized; no I/O under the lock).
 */
final class FullAnswers {

	/** How long a "full" answer from the store is trusted for retries of the refused permit ids. */
	static final long TRUST = 250_000_000L;

	/** At most this many refused ids are remembered per semaphore (beyond it, requests go to the store). */
	private static final int MAX_IDS = 4096;

	/** Beyond this many semaphores with a remembered answer, expired answers are dropped (names can be dynamic). */
	private static final int PRUNE_ABOVE = 64;

	private final LongSupplier clock;

	private final Map<String, Refused> refused = new HashMap<>();

	private final Set<String> inFlight = new HashSet<>();

	FullAnswers(LongSupplier clock) {
		this.clock = clock;
	}

	/**
	 * Whether a request may be refused from memory.
	 * @param name the semaphore
	 * @param permitId the permit id
	 * @return whether the store refused this id within {@link #TRUST} and nothing freed a permit since
	 */
	synchronized boolean stillFull(String name, String permitId) {
		Refused entry = this.refused.get(name);
		if (entry == null || this.clock.getAsLong() - entry.at > TRUST) {
			return false;
		}
		return entry.ids.contains(permitId) && !this.inFlight.contains(name + '\u0000' + permitId);
	}

	/**
	 * Marks a grant transaction for a permit id as started; pair with {@link #finished}.
	 * @param name the semaphore
	 * @param permitId the permit id
	 */
	synchronized void started(String name, String permitId) {
		this.inFlight.add(name + '\u0000' + permitId);
	}

	/**
	 * Records how a grant transaction ended.
	 * @param name the semaphore
	 * @param permitId the permit id
	 * @param full whether the store refused it
	 */
	synchronized void finished(String name, String permitId, boolean full) {
		this.inFlight.remove(name + '\u0000' + permitId);
		if (!full) {
			this.refused.remove(name);
			return;
		}
		long now = this.clock.getAsLong();
		if (this.refused.size() > PRUNE_ABOVE) {
			this.refused.values().removeIf((stale) -> now - stale.at > TRUST);
		}
		Refused entry = this.refused.computeIfAbsent(name, (n) -> new Refused());
		entry.at = now;
		if (entry.ids.size() < MAX_IDS) {
			entry.ids.add(permitId);
		}
	}

	/**
	 * Forgets the answers for a semaphore (a permit was released or reclaimed).
	 * @param name the semaphore
	 */
	synchronized void freed(String name) {
		this.refused.remove(name);
	}

	/** Forgets everything (leadership changed). */
	synchronized void clear() {
		this.refused.clear();
	}

	private static final class Refused {

		private long at;

		private final Set<String> ids = new HashSet<>();

	}

}
