package dev.hedge.semaphore;

import dev.hedge.common.HedgeException;

/** A semaphore was opened with a limit other than the one it was created with. */
public class SemaphoreLimitMismatchException extends HedgeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param name the semaphore
	 * @param existing the stored limit
	 * @param requested the limit asked for
	 */
	public SemaphoreLimitMismatchException(String name, int existing, int requested) {
		super("semaphore '" + name + "' exists with limit " + existing + ", not " + requested);
	}

}
