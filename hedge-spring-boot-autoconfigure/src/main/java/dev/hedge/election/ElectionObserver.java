package dev.hedge.election;

/**
 * Hooks for metrics and tests. Called on the election thread; implementations must be quick and must not throw.
 */
public interface ElectionObserver {

	/** Observes nothing. */
	ElectionObserver NONE = new ElectionObserver() {
	};

	/**
	 * A renewal finished.
	 * @param epoch the epoch it renewed
	 * @param outcome what happened
	 * @param latencyNanos time from sending to completion
	 * @param late whether it finished after this node had already stepped down from that epoch
	 */
	default void renewal(long epoch, RenewalOutcome outcome, long latencyNanos, boolean late) {
	}

	/**
	 * A takeover attempt finished.
	 * @param acquired whether this node won
	 * @param record the row after the attempt ({@code null} on failure)
	 * @param latencyNanos time from sending to completion
	 */
	default void takeover(boolean acquired, LeaseRecord record, long latencyNanos) {
	}

	/**
	 * This node took the lease: the takeover transaction committed at {@code committedAt} (database time), starting
	 * {@code epoch}. Used by fencing audits: every leader-side write must carry the epoch of the latest takeover that
	 * committed before it.
	 * @param epoch the new epoch
	 * @param committedAt the commit timestamp of the takeover (null if the store could not tell)
	 */
	default void acquired(long epoch, java.time.Instant committedAt) {
	}

	/**
	 * This node's local deadline for {@code epoch} was set (at a grant) or moved (by a renewal): it believes it leads
	 * until {@code deadlineNanos} on its ticker unless it steps down earlier. For belief-interval histories.
	 * @param epoch the epoch
	 * @param deadlineNanos the new deadline
	 */
	default void deadline(long epoch, long deadlineNanos) {
	}

	/** Outcome of one renewal. */
	enum RenewalOutcome {

		/** One row changed: the lease is extended. */
		RENEWED,

		/** No row changed: the lease is lost. */
		LOST,

		/** The call failed or timed out: outcome unknown. */
		FAILED

	}

}
