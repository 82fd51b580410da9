package dev.hedge.common;

/**
 * A storage call failed: the store was unreachable, answered an error, or did not answer within the call's
 * deadline ({@link #isTimeout()}). The effect of a failed write is unknown unless the caller's operation is
 * idempotent; hedge's own writes are.
 */
public class StoreException extends HedgeException {

	private static final long serialVersionUID = 1L;

	private final boolean timeout;

	/**
	 * Creates the exception.
	 * @param message what failed
	 * @param cause the store client's exception
	 * @param timeout whether the call hit its deadline
	 */
	public StoreException(String message, Throwable cause, boolean timeout) {
		super(message, cause);
		this.timeout = timeout;
	}

	/**
	 * Whether the call hit its deadline (the outcome of a write is then unknown).
	 * @return whether it timed out
	 */
	public boolean isTimeout() {
		return this.timeout;
	}

}
