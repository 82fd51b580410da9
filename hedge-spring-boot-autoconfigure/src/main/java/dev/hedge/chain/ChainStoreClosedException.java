package dev.hedge.chain;

/** The store is closed (or failed and closed itself): nothing was read or changed. */
public class ChainStoreClosedException extends ChainStoreException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param message which store is closed
	 */
	public ChainStoreClosedException(String message) {
		super(message);
	}

	/**
	 * Creates the exception.
	 * @param message which store is closed
	 * @param cause the storage's own report of it
	 */
	public ChainStoreClosedException(String message, Throwable cause) {
		super(message, cause);
	}

}
