package dev.hedge.chain;

/**
 * A key, value or write id is empty where it may not be, or over its limit in {@link ChainStoreOptions}. Nothing was
 * changed.
 */
public class ChainLimitException extends ChainStoreException {

	private static final long serialVersionUID = 1L;

	private final String what;

	private final long size;

	private final long limit;

	/**
	 * Creates the exception.
	 * @param what {@code "key"}, {@code "value"} or {@code "write id"}
	 * @param size its size in bytes
	 * @param limit the largest allowed
	 * @param key the key it was for (shortened in the message)
	 */
	public ChainLimitException(String what, long size, long limit, String key) {
		super(message(what, size, limit, key));
		this.what = what;
		this.size = size;
		this.limit = limit;
	}

	private static String message(String what, long size, long limit, String key) {
		String shown = ChainVersionException.shorten(key);
		if (size == 0) {
			return "chain store: the " + what + " of key '" + shown + "' is empty";
		}
		return "chain store: the " + what + " of key '" + shown + "' has " + size + " bytes, over the limit of "
				+ limit;
	}

	/**
	 * What was refused.
	 * @return {@code "key"}, {@code "value"} or {@code "write id"}
	 */
	public String getWhat() {
		return this.what;
	}

	/**
	 * Its size.
	 * @return bytes (UTF-8 for a key or write id)
	 */
	public long getSize() {
		return this.size;
	}

	/**
	 * The limit it broke.
	 * @return the largest size allowed, in bytes
	 */
	public long getLimit() {
		return this.limit;
	}

}
