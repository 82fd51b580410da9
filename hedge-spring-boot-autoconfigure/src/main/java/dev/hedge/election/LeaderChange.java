package dev.hedge.election;

import java.util.Optional;

/**
 * The leader this member knows of changed: another member (or this one) leads in a new term, or no member is known to
 * lead any more. Delivered on every member, followers included, through
 * {@link LeadershipListener#onLeaderChanged(LeaderChange)}.
 *
 * @param nodeId this member
 * @param leaderId the leader's member id, or {@code null} when none is known (the lease lapsed or was released and no
 * one has taken it yet, or this member just stepped down)
 * @param epoch the term's epoch (for "no leader", the epoch of the last term seen)
 */
public record LeaderChange(String nodeId, String leaderId, long epoch) {

	/**
	 * The leader, if one is known.
	 * @return the leader's member id
	 */
	public Optional<String> leader() {
		return Optional.ofNullable(this.leaderId);
	}

	/**
	 * Whether this member is the leader.
	 * @return whether the leader is this member
	 */
	public boolean self() {
		return this.nodeId.equals(this.leaderId);
	}

}
