package dev.hedge.election;

import java.time.Duration;
import java.util.Optional;

/**
 * Read-only view of this node's election state. Every method answers from memory (never a store round trip), is
 * thread-safe and cheap enough for hot paths.
 *
 * <p>{@link #isLeader()} turns false at this node's local deadline ({@code t_sent + L·(1−ρ) − M} after the last
 * renewal that committed) even if the election thread has not run yet, so code that checks it just before acting
 * never acts on an expired belief. Writes that must be exclusive should additionally carry {@link #fence()}.
 */
public interface Leadership {

	/**
	 * This node's id ({@code host:port} once the transport is up).
	 * @return the id
	 */
	String nodeId();

	/**
	 * Whether this node leads right now.
	 * @return {@code true} only between a grant and the earlier of its revoke and its deadline
	 */
	boolean isLeader();

	/**
	 * The leader as last observed: this node while it leads, otherwise the holder of a live lease seen at the last
	 * poll (at most one poll interval old); empty while no live leader is known.
	 * @return the leader's id
	 */
	Optional<String> leaderId();

	/**
	 * The epoch of {@link #leaderId()}: this node's epoch while it leads, otherwise the last observed one (0 before
	 * any observation). Epochs strictly increase with every takeover.
	 * @return the epoch
	 */
	long epoch();

	/**
	 * While leading, how long this node may still act without another successful renewal.
	 * @return the remaining time, or empty when not leading
	 */
	Optional<Duration> leaseRemaining();

	/**
	 * The fence of this node's current term, for leader-side writes.
	 * @return the fence, or empty when not leading
	 */
	Optional<Fence> fence();

	/**
	 * Adds a listener for grants and revokes of this node's leadership.
	 * @param listener the listener
	 */
	void addListener(LeadershipListener listener);

	/**
	 * Removes a listener.
	 * @param listener the listener
	 */
	void removeListener(LeadershipListener listener);

}
