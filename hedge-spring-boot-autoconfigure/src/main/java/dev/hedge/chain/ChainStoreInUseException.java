package dev.hedge.chain;

/**
 * A file-backed store could not be opened because another store, in this process or in another live one, has its
 * file open. Nothing was read or written; the other process's data is untouched.
 */
public class ChainStoreInUseException extends ChainStoreException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param message which file is in use
	 * @param cause the storage's own report of it
	 */
	public ChainStoreInUseException(String message, Throwable cause) {
		super(message, cause);
	}

}
