package dev.hedge.common;

/**
 * Root of every exception hedge throws on purpose. Unchecked: callers decide where to handle coordination failures.
 */
public class HedgeException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param message what went wrong
	 */
	public HedgeException(String message) {
		super(message);
	}

	/**
	 * Creates the exception.
	 * @param message what went wrong
	 * @param cause the underlying failure
	 */
	public HedgeException(String message, Throwable cause) {
		super(message, cause);
	}

}
