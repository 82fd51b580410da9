package dev.hedge.kv;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The group's append-only key/value log. Writes go to the leader, which commits them fenced by its epoch and
 * batched with concurrent writes; every put carries a client-generated id, so retries (after a timeout or a leader
 * change) never write a value twice. Reads go straight to the store from any member with a strong read.
 *
 * <p>Keys starting with {@code __hedge/} or {@code __caller=} are reserved: writes are refused and reads see nothing.
 * Thread-safe.
 */
public interface KeyValueStore {

	/**
	 * Appends a version.
	 * @param key the key
	 * @param value the value
	 * @return the commit timestamp
	 * @throws InvalidKeyValueException for a reserved or empty key, or an oversize key or value
	 * @throws dev.hedge.messaging.MessagingException if no leader committed it within the deadline (it was not
	 * written, or it was and a retry with the same id would not write it again)
	 */
	default Instant put(String key, String value) {
		return put(key, value, PutOptions.APPEND);
	}

	/**
	 * Writes with options.
	 * @param key the key
	 * @param value the value
	 * @param options append or no-append, deadline
	 * @return the commit timestamp
	 */
	Instant put(String key, String value, PutOptions options);

	/**
	 * The newest version.
	 * @param key the key
	 * @return the newest version, or empty for an unknown or reserved key
	 */
	Optional<KeyValue> get(String key);

	/**
	 * The {@code n} newest versions, newest first.
	 * @param key the key
	 * @param n how many (at least 1)
	 * @return the versions
	 */
	List<KeyValue> newest(String key, int n);

	/**
	 * Every version, newest first.
	 * @param key the key
	 * @return the versions
	 */
	List<KeyValue> history(String key);

	/**
	 * The oldest version.
	 * @param key the key
	 * @return the oldest version, or empty
	 */
	Optional<KeyValue> oldest(String key);

}
