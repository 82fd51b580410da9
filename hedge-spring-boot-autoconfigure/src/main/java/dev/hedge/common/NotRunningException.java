package dev.hedge.common;

/**
 * An operation was asked of a hedge node that is not running: not started yet, or closed. Queries never throw it
 * (before start and after close a node answers "not leader, no leader, no members"); operations that need the running
 * node do: send, broadcast, streams, key/value and semaphore calls, the spill-over store.
 */
public class NotRunningException extends HedgeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param message what was asked and why it cannot be done
	 */
	public NotRunningException(String message) {
		super(message);
	}

}
