package dev.hedge.election;

/**
 * A grant or revoke of this node's leadership.
 *
 * @param nodeId this node
 * @param epoch the epoch of the term that began or ended
 * @param granted {@code true} for a grant, {@code false} for a revoke
 * @param reason why a term ended ({@code null} for grants)
 * @param atNanos when the belief began or ended, on the elector's monotonic {@link dev.hedge.common.Ticker}: for a
 * grant, when {@link Leadership#isLeader()} turned true; for a revoke, when it turned false (the deadline, if that
 * came first). Comparable across processes on one Linux host when the system ticker is used.
 */
public record LeadershipEvent(String nodeId, long epoch, boolean granted, RevokeReason reason, long atNanos) {

	/** Why a term ended. */
	public enum RevokeReason {

		/** A renewal changed no row: another node took over, or the lease ran out by the database clock. */
		LOST,

		/** No renewal committed in time: the local deadline passed (the store was slow or unreachable). */
		DEADLINE,

		/** This node gave leadership up on request ({@code yield}). */
		YIELDED,

		/** This node is shutting down and released the lease. */
		CLOSED

	}

}
