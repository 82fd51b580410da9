package dev.hedge.sos;

import dev.hedge.common.HedgeException;

/** Root of the spill-over store's typed failures. */
public class SosException extends HedgeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param message what went wrong
	 */
	public SosException(String message) {
		super(message);
	}

	/**
	 * Creates the exception.
	 * @param message what went wrong
	 * @param cause the underlying failure
	 */
	public SosException(String message, Throwable cause) {
		super(message, cause);
	}

}
