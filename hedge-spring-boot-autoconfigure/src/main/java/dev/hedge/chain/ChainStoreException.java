package dev.hedge.chain;

import dev.hedge.common.HedgeException;

/**
 * Root of a {@link ChainStore}'s typed failures. Thrown as such (not as a subclass) when the storage itself failed
 * (an I/O error, a damaged file): the outcome of a mutation that fails so is unknown, as if the member had crashed
 * during the call. The subclasses are refusals of the call, which changed nothing.
 */
public class ChainStoreException extends HedgeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param message what went wrong
	 */
	public ChainStoreException(String message) {
		super(message);
	}

	/**
	 * Creates the exception.
	 * @param message what went wrong
	 * @param cause the underlying failure
	 */
	public ChainStoreException(String message, Throwable cause) {
		super(message, cause);
	}

}
