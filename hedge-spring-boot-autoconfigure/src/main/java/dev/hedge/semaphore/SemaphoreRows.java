package dev.hedge.semaphore;

import java.util.Optional;

/**
 * How semaphores are laid out in the log table (reserved keys, hidden from and refused to users): per group and
 * semaphore, a definition row {@code (key = "__hedge/semaphore/" + group' + "/" + name, id = "definition", value =
 * limit)} and one row per permit {@code (key = same, id = "permit/" + permitId, value = holder)}, all with the commit
 * timestamp. {@code group'} is the group with {@code %} and {@code /} percent-encoded, so a group's keys share a prefix
 * no other group's keys start with. Counting a semaphore's permits is a range read on the primary key
 * {@code (key, id)}, and so is listing a group's permits: no table scan (hedge-Go scans).
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
	 * The prefix every key of a group's semaphores starts with (and no other group's).
	 * @param group the group
	 * @return the prefix
	 */
	public static String groupPrefix(String group) {
		return KEY_PREFIX + group.replace("%", "%25").replace("/", "%2F") + "/";
	}

	/**
	 * The smallest string greater than every string that starts with {@code prefix}, for range reads
	 * ({@code key >= prefix AND key < end}): the prefix with its last character incremented. Works for these prefixes,
	 * which end with {@code '/'}.
	 * @param prefix a prefix ending with {@code '/'}
	 * @return the exclusive upper bound
	 */
	public static String prefixEnd(String prefix) {
		char last = prefix.charAt(prefix.length() - 1);
		return prefix.substring(0, prefix.length() - 1) + (char) (last + 1);
	}

	/**
	 * The key of a semaphore's rows.
	 * @param group the group
	 * @param name the semaphore
	 * @return the key
	 */
	public static String key(String group, String name) {
		return groupPrefix(group) + name;
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
	 * The semaphore name of a key of a group.
	 * @param group the group
	 * @param key a key of the group's semaphores
	 * @return the name, or empty when the key is not the group's
	 */
	public static Optional<String> name(String group, String key) {
		String prefix = groupPrefix(group);
		return key.startsWith(prefix) ? Optional.of(key.substring(prefix.length())) : Optional.empty();
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
