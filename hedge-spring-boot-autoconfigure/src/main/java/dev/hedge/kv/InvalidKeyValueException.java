package dev.hedge.kv;

import dev.hedge.common.HedgeException;

/** A key or value hedge refuses: empty or reserved key, or over a size limit. Nothing was written. */
public class InvalidKeyValueException extends HedgeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param message what is wrong
	 */
	public InvalidKeyValueException(String message) {
		super(message);
	}

}
