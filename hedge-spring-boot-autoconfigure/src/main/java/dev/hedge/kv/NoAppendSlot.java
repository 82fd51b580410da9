package dev.hedge.kv;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How a key's no-append slot (row id {@link LogRecord#NO_APPEND_ID}) remembers which puts it applied, so that a retried
 * no-append put is recognised and not applied again over a newer value (a retry of a put whose first attempt committed
 * but whose answer was lost). The slot's {@code leader} column holds the writer, then {@code " puts="} and the ids of
 * the last {@link #REMEMBERED} puts applied to it, newest last; readers see only the writer. A retry is recognised as
 * long as fewer than {@value #REMEMBERED} other no-append puts to the same key committed between its attempts (puts
 * retry for at most {@code hedge.kv.put-timeout}). Store adapters use this class; stateless.
 */
public final class NoAppendSlot {

	/** How many put ids a slot remembers. */
	public static final int REMEMBERED = 32;

	private static final String SEPARATOR = " puts=";

	private NoAppendSlot() {
	}

	/**
	 * The writer stored in a slot's {@code leader} column.
	 * @param column the column's value (may be {@code null})
	 * @return the writer alone
	 */
	public static String writer(String column) {
		if (column == null) {
			return null;
		}
		int at = column.indexOf(SEPARATOR);
		return (at < 0) ? column : column.substring(0, at);
	}

	/**
	 * The put ids a slot remembers.
	 * @param column the slot's {@code leader} column (may be {@code null})
	 * @return the ids, oldest first
	 */
	public static List<String> putIds(String column) {
		if (column == null) {
			return List.of();
		}
		int at = column.indexOf(SEPARATOR);
		if (at < 0) {
			return List.of();
		}
		String ids = column.substring(at + SEPARATOR.length());
		return ids.isEmpty() ? List.of() : Arrays.asList(ids.split(","));
	}

	/**
	 * The {@code leader} column after applying a put.
	 * @param writer the writer
	 * @param previous the column before (may be {@code null})
	 * @param putId the put's id ({@code null}: a put without one, remembered as nothing)
	 * @return the new column value
	 */
	public static String column(String writer, String previous, String putId) {
		List<String> ids = new ArrayList<>(putIds(previous));
		if (putId != null) {
			ids.add(putId);
		}
		while (ids.size() > REMEMBERED) {
			ids.remove(0);
		}
		return ids.isEmpty() ? writer : writer + SEPARATOR + String.join(",", ids);
	}

	/**
	 * Whether a slot already applied a put.
	 * @param column the slot's {@code leader} column (may be {@code null})
	 * @param putId the put's id (may be {@code null}: never applied)
	 * @return whether the slot remembers it
	 */
	public static boolean applied(String column, String putId) {
		return putId != null && putIds(column).contains(putId);
	}

}
