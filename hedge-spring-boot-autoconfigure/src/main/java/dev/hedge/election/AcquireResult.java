package dev.hedge.election;

/**
 * Outcome of {@link LeaseStore#tryAcquire}.
 *
 * @param acquired whether the claim won (then {@code record.epoch()} is the new epoch)
 * @param record the row after the transaction
 * @param committedAt the commit timestamp of a winning takeover (database time; null when not acquired)
 */
public record AcquireResult(boolean acquired, LeaseRecord record, java.time.Instant committedAt) {

	/**
	 * A claim that did not win.
	 * @param current the row as it is
	 * @return the result
	 */
	public static AcquireResult lost(LeaseRecord current) {
		return new AcquireResult(false, current, null);
	}

}
