package dev.hedge.election;

/**
 * A fencing token: a leader-side write carrying it commits only if, inside the write's own transaction, the lease
 * row of {@code lockName} still holds {@code epoch} (and, when given, the holder's {@code incarnation}) and has not been
 * released. The incarnation guards against a lease row that was deleted and created again (an operator reset): epochs
 * then start again at 1, and a stale leader's epoch could equal the new holder's.
 *
 * @param lockName the lock (the group)
 * @param epoch the epoch the writer leads in
 * @param incarnation the writer's incarnation (the lease holder's process), or {@code null} to check the epoch only
 */
public record Fence(String lockName, long epoch, String incarnation) {

	/**
	 * A fence that checks the epoch only.
	 * @param lockName the lock
	 * @param epoch the epoch
	 */
	public Fence(String lockName, long epoch) {
		this(lockName, epoch, null);
	}

	/**
	 * Whether a lease row's state still admits a write under this fence.
	 * @param rowEpoch the row's epoch
	 * @param rowIncarnation the row's incarnation ({@code null} when released)
	 * @return whether the row holds this fence's epoch (and incarnation) and is not released
	 */
	public boolean admits(long rowEpoch, String rowIncarnation) {
		return rowIncarnation != null && rowEpoch == this.epoch
				&& (this.incarnation == null || this.incarnation.equals(rowIncarnation));
	}

}
