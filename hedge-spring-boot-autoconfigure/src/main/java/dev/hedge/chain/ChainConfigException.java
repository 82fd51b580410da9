package dev.hedge.chain;

import dev.hedge.common.HedgeException;

/**
 * A chain configuration could not be read or written as asked: the stored one is damaged, or (subclass
 * {@link ChainConfigConflictException}) another configuration was written first.
 */
public class ChainConfigException extends HedgeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param message what went wrong
	 */
	public ChainConfigException(String message) {
		super(message);
	}

}
