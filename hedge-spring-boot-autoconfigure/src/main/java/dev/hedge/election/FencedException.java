package dev.hedge.election;

import dev.hedge.common.HedgeException;

/**
 * A leader-side write was refused because its {@link Fence} is stale: another leader has taken over, or the lease
 * was released. Nothing was written.
 */
public class FencedException extends HedgeException {

	private static final long serialVersionUID = 1L;

	private final long currentEpoch;

	/**
	 * Creates the exception.
	 * @param fence the stale fence
	 * @param currentEpoch the epoch found in the store (0 if none)
	 */
	public FencedException(Fence fence, long currentEpoch) {
		super("write fenced off: epoch " + fence.epoch() + " of " + fence.lockName() + " is no longer current (store has "
				+ currentEpoch + ")");
		this.currentEpoch = currentEpoch;
	}

	/**
	 * The epoch the store holds.
	 * @return the current epoch
	 */
	public long getCurrentEpoch() {
		return this.currentEpoch;
	}

}
