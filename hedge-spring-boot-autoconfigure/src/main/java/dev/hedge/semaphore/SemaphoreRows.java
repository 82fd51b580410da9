package dev.hedge.semaphore;

/**
 * How semaphores are laid out in the log table (reserved keys, hidden from and refused to users): a definition row
 * {@code (key = "__hedge/semaphore/" + name, id = "definition", value = limit)} and one row per permit
 * {@code (key = same, id = "permit/" + permitId, value = holder)}, all with the commit timestamp. Counting a
 * semaphore's permits is a range read on the primary key {@code (key, id)}, not a table scan (hedge-Go scans).
 */
public final class SemaphoreRows {

	/** Prefix of every semaphore key. */
	public static final String KEY_PREFIX = "__hedge/semaphore/";

	/** Row id of a definition. */
	public static final String DEFINITION_ID = "definition";

	/** Prefix of permit row ids. */
	public static final String PERMIT_PREFIX = "permit/";

	private SemaphoreRows() {
	}

	/**
	 * The key of a semaphore's rows.
	 * @param name the semaphore
	 * @return the key
	 */
	public static String key(String name) {
		return KEY_PREFIX + name;
	}

	/**
	 * The row id of a permit.
	 * @param permitId the permit
	 * @return the row id
	 */
	public static String permitRowId(String permitId) {
		return PERMIT_PREFIX + permitId;
	}

	/**
	 * The semaphore name of a key.
	 * @param key a semaphore key
	 * @return the name
	 */
	public static String name(String key) {
		return key.substring(KEY_PREFIX.length());
	}

	/**
	 * The permit id of a permit row id.
	 * @param rowId a permit row id
	 * @return the permit id
	 */
	public static String permitId(String rowId) {
		return rowId.substring(PERMIT_PREFIX.length());
	}

}
