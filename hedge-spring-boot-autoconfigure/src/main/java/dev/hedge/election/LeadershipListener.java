package dev.hedge.election;

/**
 * Told when this node gains or loses leadership. Edge-triggered: one {@link #onGranted} per term and exactly one
 * {@link #onRevoked} after it (on close too), both carrying the term's epoch.
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

}
