package dev.hedge.chain;

/**
 * The chain could not complete an operation before its deadline: no configuration or no member yet, the head or
 * the serving members unreachable, a reconfiguration that did not finish, this member closing, or the chain not
 * enabled here. Retryable; a write's {@link #isOutcomeUnknown()} says whether it may have been applied.
 */
public class ChainUnavailableException extends ChainException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param message what went wrong
	 * @param outcomeUnknown whether a write may have been applied
	 */
	public ChainUnavailableException(String message, boolean outcomeUnknown) {
		super(message, outcomeUnknown);
	}

}
