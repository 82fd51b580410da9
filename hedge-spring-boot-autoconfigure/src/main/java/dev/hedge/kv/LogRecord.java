package dev.hedge.kv;

import java.util.Objects;

/**
 * A row to append to the log.
 *
 * @param key the key
 * @param id the row id: a client-generated unique id (so retries are idempotent), or {@link #NO_APPEND_ID}
 * @param value the value
 * @param writer id of the node performing the write (the {@code leader} column)
 * @param putId for a no-append record, the put's client-generated id (the same for every retry of the put), so the
 * slot can tell a retry from a new put ({@link NoAppendSlot}); {@code null} otherwise
 */
public record LogRecord(String key, String id, String value, String writer, String putId) {

	/** Row id of a key's single overwritable slot (hedge-Go's {@code noappend}). */
	public static final String NO_APPEND_ID = "-";

	/**
	 * Creates a record; every field but {@code putId} is required.
	 * @param key the key
	 * @param id the row id
	 * @param value the value
	 * @param writer the writing node
	 * @param putId the no-append put's id, or {@code null}
	 */
	public LogRecord {
		Objects.requireNonNull(key, "key");
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(value, "value");
		Objects.requireNonNull(writer, "writer");
	}

	/**
	 * A record without a put id (an appended row, or a no-append write that needs no retry detection).
	 * @param key the key
	 * @param id the row id
	 * @param value the value
	 * @param writer the writing node
	 */
	public LogRecord(String key, String id, String value, String writer) {
		this(key, id, value, writer, null);
	}

	/**
	 * Whether this record overwrites the no-append slot.
	 * @return whether the id is {@link #NO_APPEND_ID}
	 */
	public boolean noAppend() {
		return NO_APPEND_ID.equals(this.id);
	}

	/**
	 * The size of the record's strings in UTF-8 plus a fixed overhead per row, for bounding a batch.
	 * @return bytes
	 */
	public long bytes() {
		return utf8(this.key) + utf8(this.id) + utf8(this.value) + utf8(this.writer) + 64;
	}

	private static long utf8(String text) {
		long bytes = 0;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c < 0x80) {
				bytes += 1;
			}
			else if (c < 0x800) {
				bytes += 2;
			}
			else if (Character.isHighSurrogate(c)) {
				bytes += 4;
				i++;
			}
			else {
				bytes += 3;
			}
		}
		return bytes;
	}

}
