package dev.hedge.kv;

import java.util.Objects;

/**
 * A row to append to the log.
 *
 * @param key the key
 * @param id the row id: a client-generated unique id (so retries are idempotent), or {@link #NO_APPEND_ID}
 * @param value the value
 * @param writer id of the node performing the write (the {@code leader} column)
 */
public record LogRecord(String key, String id, String value, String writer) {

	/** Row id of a key's single overwritable slot (hedge-Go's {@code noappend}). */
	public static final String NO_APPEND_ID = "-";

	/**
	 * Creates a record; every field is required.
	 * @param key the key
	 * @param id the row id
	 * @param value the value
	 * @param writer the writing node
	 */
	public LogRecord {
		Objects.requireNonNull(key, "key");
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(value, "value");
		Objects.requireNonNull(writer, "writer");
	}

	/**
	 * Whether this record overwrites the no-append slot.
	 * @return whether the id is {@link #NO_APPEND_ID}
	 */
	public boolean noAppend() {
		return NO_APPEND_ID.equals(this.id);
	}

}
