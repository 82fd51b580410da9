package dev.hedge.chain;

import dev.hedge.common.HedgeException;

/**
 * Root of the failures of {@link HedgeChain} operations. {@link #isOutcomeUnknown()} tells whether a failed write may
 * nonetheless have been applied (retry it with the same write id to find out: it is applied at most once).
 */
public class ChainException extends HedgeException {

	private static final long serialVersionUID = 1L;

	private final boolean outcomeUnknown;

	/**
	 * Creates the exception.
	 * @param message what went wrong
	 * @param outcomeUnknown whether the operation may have been applied
	 */
	public ChainException(String message, boolean outcomeUnknown) {
		super(message);
		this.outcomeUnknown = outcomeUnknown;
	}

	/**
	 * Whether the failed operation may have been applied.
	 * @return {@code true} for a write whose outcome is unknown; {@code false} when it was certainly not applied
	 */
	public boolean isOutcomeUnknown() {
		return this.outcomeUnknown;
	}

}
