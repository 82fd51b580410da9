package dev.hedge.semaphore;

import dev.hedge.common.HedgeException;

/** A semaphore request is malformed: an empty or too long name, a limit below 1, a malformed permit id. */
public class InvalidSemaphoreException extends HedgeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param message what is wrong
	 */
	public InvalidSemaphoreException(String message) {
		super(message);
	}

}
