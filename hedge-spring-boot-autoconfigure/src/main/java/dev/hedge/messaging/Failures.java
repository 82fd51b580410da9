package dev.hedge.messaging;

import dev.hedge.common.StoreException;
import dev.hedge.election.FencedException;
import dev.hedge.transport.grpc.Failure;

/**
 * Turns an exception thrown while serving a leader-bound call into the typed failure sent back: the caller then
 * sees the same exception type it would have seen for a local call.
 */
public final class Failures {

	private Failures() {
	}

	/**
	 * The failure to answer with.
	 * @param self this node (the one refusing)
	 * @param error what was thrown
	 * @param leaderHint the leader this node knows, for NOT_LEADER answers (may be null)
	 * @param epoch the epoch of that leader
	 * @return the failure
	 */
	public static Failure of(String self, Throwable error, String leaderHint, long epoch) {
		if (error instanceof NotLeaderException notLeader) {
			return Failure.notLeader(notLeader.getLeaderHint().orElse(leaderHint), Math.max(epoch, notLeader.getEpoch()));
		}
		if (error instanceof FencedException) {
			return Failure.notLeader(leaderHint, epoch);
		}
		if (error instanceof NoLeaderException) {
			return Failure.of(Failure.Kind.NOT_READY, error.getMessage());
		}
		if (error instanceof MemberUnavailableException unavailable) {
			return Failure.of(unavailable.isTimeout() ? Failure.Kind.TIMEOUT : Failure.Kind.NOT_READY,
					error.getMessage());
		}
		if (error instanceof RequestRejectedException rejected) {
			return Failure.of(rejected.getKind(), error.getMessage());
		}
		if (error instanceof IllegalArgumentException) {
			return Failure.of(Failure.Kind.INVALID, error.getMessage());
		}
		if (error instanceof StoreException store) {
			return Failure.of(store.isTimeout() ? Failure.Kind.TIMEOUT : Failure.Kind.NOT_READY,
					"store: " + error.getMessage());
		}
		return Failure.of(Failure.Kind.OTHER, String.valueOf(error));
	}

}
