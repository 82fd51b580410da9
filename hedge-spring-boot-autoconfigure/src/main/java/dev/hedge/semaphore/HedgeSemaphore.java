package dev.hedge.semaphore;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A group-wide counting semaphore: at most {@link #limit()} permits are held at any time across all members. Permits
 * are granted by the leader in the same store transaction that checks the limit and the leader's epoch. A permit
 * belongs to the member that acquired it (one member may hold several); if that member is declared dead (no heartbeat
 * for the member timeout), the leader reclaims its permits.
 *
 * <p>Thread-safe. Blocking methods are interruptible. While the semaphore is full the leader holds a blocking
 * request for up to one second (half of one call's deadline at most) and grants a permit the moment one is released
 * or reclaimed there; then the caller asks again. A leader that cannot hold the request (64 already wait) answers at
 * once, and the caller pauses 20 ms doubling to 500 ms before asking again.
 */
public interface HedgeSemaphore {

	/**
	 * The semaphore's name (any string).
	 * @return the name
	 */
	String name();

	/**
	 * The limit.
	 * @return the maximum number of permits held at once
	 */
	int limit();

	/**
	 * Waits until a permit is granted.
	 * @return the permit (close it to release)
	 * @throws InterruptedException if interrupted while waiting
	 */
	Permit acquire() throws InterruptedException;

	/**
	 * One attempt.
	 * @return the permit, or empty if the semaphore is full
	 */
	Optional<Permit> tryAcquire();

	/**
	 * Waits up to {@code timeout} for a permit.
	 * @param timeout how long to wait
	 * @return the permit, or empty if none became free in time
	 * @throws InterruptedException if interrupted while waiting
	 */
	Optional<Permit> tryAcquire(Duration timeout) throws InterruptedException;

	/**
	 * The permits held right now, read from the store.
	 * @return the permits
	 */
	List<SemaphoreStore.PermitRecord> holders();

}
