package dev.hedge.election;

import java.time.Duration;

import dev.hedge.common.StoreException;

/**
 * Storage SPI of the lease: one row per lock name holding the holder, its incarnation, the epoch, the promised lease
 * length and the heartbeat (a database timestamp). Implemented by every store adapter; the election algorithm lives
 * in {@link LeaderElector}, not here.
 *
 * <p>Rules every implementation must keep (the contract tests check them):
 * <ul>
 * <li>time is only ever the database's clock; nothing here reads a local clock;</li>
 * <li>{@link #tryAcquire} is one atomic transaction that reads the row, judges it with
 * {@link LeaseRecord#claimableBy(LeaseClaim)} and, when claimable, writes the claim with {@code epoch + 1} (1 for a
 * new row) and a fresh heartbeat — so concurrent contenders produce exactly one winner per epoch;</li>
 * <li>{@link #renew} and {@link #release} change the row only if incarnation and epoch still match;</li>
 * <li>every call finishes within its {@code timeout}, or throws a {@link StoreException} with
 * {@link StoreException#isTimeout()} set.</li>
 * </ul>
 * Implementations are thread-safe.
 */
public interface LeaseStore {

	/**
	 * Reads the lease row with a strong read.
	 * @param lockName the lock (one per group)
	 * @param timeout deadline of the call
	 * @return the row as the database sees it now, or {@link LeaseRecord#absent()}
	 * @throws StoreException on failure or timeout
	 */
	LeaseRecord read(String lockName, Duration timeout);

	/**
	 * Takes the lease if {@link LeaseRecord#claimableBy(LeaseClaim)} holds inside the same transaction.
	 * @param lockName the lock
	 * @param claim who claims it, and the lease and grace to apply
	 * @param timeout deadline of the call (covers the store client's own retries)
	 * @return whether the claim won, and the row after the transaction
	 * @throws StoreException on failure or timeout; the claim may or may not have committed
	 */
	AcquireResult tryAcquire(String lockName, LeaseClaim claim, Duration timeout);

	/**
	 * Extends the lease by setting the heartbeat to the database's current time, only if the row still holds this
	 * incarnation and epoch and the lease has not yet run out by the database clock (age ≤ stored lease).
	 * @param lockName the lock
	 * @param incarnation the holder's incarnation
	 * @param epoch the holder's epoch
	 * @param timeout deadline of the call
	 * @return {@code true} if exactly one row changed, {@code false} if none did (the lease is lost)
	 * @throws StoreException on failure or timeout
	 */
	boolean renew(String lockName, String incarnation, long epoch, Duration timeout);

	/**
	 * Gives the lease up: clears holder and incarnation (the epoch stays), only if incarnation and epoch still match,
	 * so any follower may take over at once.
	 * @param lockName the lock
	 * @param incarnation the holder's incarnation
	 * @param epoch the holder's epoch
	 * @param timeout deadline of the call
	 * @return {@code true} if the row was released, {@code false} if it was no longer held by this epoch
	 * @throws StoreException on failure or timeout
	 */
	boolean release(String lockName, String incarnation, long epoch, Duration timeout);

}
