package dev.hedge.common;

/**
 * A storage call failed: the store was unreachable, answered an error, or did not answer within the call's
 * deadline ({@link #isTimeout()}). The effect of a failed write is unknown unless the caller's operation is
 * idempotent; hedge's own writes are.
 */
public class StoreException extends HedgeException {

	private static final long serialVersionUID = 1L;

	private final boolean timeout;

	private final boolean rejected;

	/**
	 * Creates the exception.
	 * @param message what failed
	 * @param cause the store client's exception
	 * @param timeout whether the call hit its deadline
	 */
	public StoreException(String message, Throwable cause, boolean timeout) {
		this(message, cause, timeout, false);
	}

	/**
	 * Creates the exception.
	 * @param message what failed
	 * @param cause the store client's exception
	 * @param timeout whether the call hit its deadline
	 * @param rejected whether the database refused the data itself (invalid value, too large, constraint): trying
	 * the same write again cannot succeed, and nothing was written
	 */
	public StoreException(String message, Throwable cause, boolean timeout, boolean rejected) {
		super(message, cause);
		this.timeout = timeout;
		this.rejected = rejected;
	}

	/**
	 * Whether the database refused the data itself (an invalid or oversize value, a violated constraint, a
	 * transaction over the database's size limits): retrying the same write cannot succeed, and nothing was written.
	 * @return whether the write was rejected
	 */
	public boolean isRejected() {
		return this.rejected;
	}

	/**
	 * Whether the call hit its deadline (the outcome of a write is then unknown).
	 * @return whether it timed out
	 */
	public boolean isTimeout() {
		return this.timeout;
	}

}
