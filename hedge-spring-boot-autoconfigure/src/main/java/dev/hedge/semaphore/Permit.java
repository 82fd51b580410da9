package dev.hedge.semaphore;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One permit of a {@link HedgeSemaphore}, released by {@link #close()} (try-with-resources).
 *
 * <p>A permit is a lease: it stays valid only while this member keeps its heartbeats to the leader acknowledged,
 * because a member declared dead loses its permits. {@link #isValid()} and {@link #remaining()} say whether the
 * holder may still act under the permit; check them before each protected action, as with leadership. Once invalid, a
 * permit never becomes valid again. Thread-safe.
 */
public interface Permit extends AutoCloseable {

	/**
	 * The permit's id (unique, client-generated).
	 * @return the id
	 */
	String id();

	/**
	 * The semaphore's name.
	 * @return the name
	 */
	String semaphore();

	/**
	 * A fencing token for the resource the permit protects: strictly increasing across the grants of one semaphore,
	 * whichever leader granted them (it is the grant's commit timestamp, in nanoseconds since the epoch; grants of one
	 * semaphore serialise on its permit count). Pass it with every write to the protected resource and have the
	 * resource refuse a token lower than the highest it has seen: a holder paused past its permit's validity (GC,
	 * a stalled VM) whose permit was reclaimed and granted to another then writes with a lower token and is refused.
	 * @return the token
	 */
	long token();

	/**
	 * The epoch of the leader that granted it. Every permit a leader grants shares it, so it is not a fencing token for
	 * the protected resource: use {@link #token()}.
	 * @return the epoch
	 */
	long epoch();

	/**
	 * The commit timestamp of the grant.
	 * @return the timestamp
	 */
	Instant grantedAt();

	/**
	 * Whether the holder may still act under this permit.
	 * @return whether it is valid and not released
	 */
	boolean isValid();

	/**
	 * How much longer the permit is valid without another acknowledged heartbeat.
	 * @return the remaining time, or empty when invalid
	 */
	Optional<Duration> remaining();

	/**
	 * Releases the permit (idempotent; retried until the leader answers or the call's deadline passes).
	 * @return the commit timestamp of the release, or empty if the permit was no longer held (already released or
	 * reclaimed)
	 */
	Optional<Instant> release();

	/** Same as {@link #release()}. */
	@Override
	default void close() {
		release();
	}

}
