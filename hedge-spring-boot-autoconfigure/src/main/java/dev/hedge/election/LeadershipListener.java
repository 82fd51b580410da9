package dev.hedge.election;

/**
 * Told when this node gains or loses leadership, and on every member when the leader it knows of changes.
 * Edge-triggered: one {@link #onGranted} per term and exactly one {@link #onRevoked} after it (on close too), both
 * carrying the term's epoch; {@link #onLeaderChanged} once per change of (leader, epoch) as this member sees it.
 *
 * <p>Threading: callbacks run one at a time, in order, on the thread {@code hedge-<group>-leadership-events}; never
 * on the election thread, so a slow listener cannot delay renewals, but it does delay later callbacks. A revoke is
 * delivered after {@link Leadership#isLeader()} has already turned false. Exceptions are logged and ignored.
 */
public interface LeadershipListener {

	/**
	 * This node became the leader.
	 * @param event the grant, with the new epoch
	 */
	default void onGranted(LeadershipEvent event) {
	}

	/**
	 * This node stopped being the leader.
	 * @param event the revoke, with the epoch of the ended term and the reason
	 */
	default void onRevoked(LeadershipEvent event) {
	}

	/**
	 * The leader this member knows of changed (on every member, followers included). A follower learns of a new term
	 * at its next lease read (every poll interval, or at once when the old leader announces its release), so this
	 * comes up to a poll interval after the change; on the new leader it follows {@link #onGranted}.
	 * @param change the leader (or none) and the epoch
	 */
	default void onLeaderChanged(LeaderChange change) {
	}

}
