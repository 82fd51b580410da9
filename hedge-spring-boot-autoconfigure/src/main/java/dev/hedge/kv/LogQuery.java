package dev.hedge.kv;

/**
 * Which rows of a key to read. Mirrors hedge-Go's {@code Get} limits: latest ({@code 0}), N newest ({@code N > 0}),
 * all ({@code -1}), oldest ({@code -2}).
 *
 * @param oldestFirst whether to order by ascending timestamp
 * @param limit the number of rows, 0 for all
 */
public record LogQuery(boolean oldestFirst, int limit) {

	/**
	 * Validates the query.
	 * @param oldestFirst ascending order
	 * @param limit the number of rows, 0 for all
	 */
	public LogQuery {
		if (limit < 0) {
			throw new IllegalArgumentException("limit must not be negative (was " + limit + ")");
		}
	}

	/**
	 * The newest row only.
	 * @return the query
	 */
	public static LogQuery latest() {
		return new LogQuery(false, 1);
	}

	/**
	 * The {@code n} newest rows, newest first.
	 * @param n how many (at least 1)
	 * @return the query
	 */
	public static LogQuery newest(int n) {
		if (n < 1) {
			throw new IllegalArgumentException("n must be at least 1 (was " + n + ")");
		}
		return new LogQuery(false, n);
	}

	/**
	 * Every row, newest first.
	 * @return the query
	 */
	public static LogQuery all() {
		return new LogQuery(false, 0);
	}

	/**
	 * The oldest row only.
	 * @return the query
	 */
	public static LogQuery oldest() {
		return new LogQuery(true, 1);
	}

}
