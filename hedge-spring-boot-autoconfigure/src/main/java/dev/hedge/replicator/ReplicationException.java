package dev.hedge.replicator;

import dev.hedge.common.HedgeException;

/** Root of the replicated data's typed failures. */
public class ReplicationException extends HedgeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param message what went wrong
	 */
	public ReplicationException(String message) {
		super(message);
	}

	/**
	 * Creates the exception.
	 * @param message what went wrong
	 * @param cause the underlying failure
	 */
	public ReplicationException(String message, Throwable cause) {
		super(message, cause);
	}

}
