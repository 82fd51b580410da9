package dev.hedge.spring;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import dev.hedge.Hedge;
import dev.hedge.kv.KeyValue;
import dev.hedge.kv.KeyValueStore;
import dev.hedge.kv.PutOptions;

/**
 * The key/value log for Spring applications: strings as they are, bytes as Base64 text, other objects through the
 * {@link HedgeValueConverter} (JSON by default). Values are stored as text in hedge's log table, so rows written here
 * and by hedge-Go read back alike. Thread-safe; usable while the node runs (before it has started and after it has
 * closed, calls fail with {@link dev.hedge.common.NotRunningException}).
 */
public class HedgeKeyValueTemplate {

	private final Hedge hedge;

	private final HedgeValueConverter converter;

	/**
	 * Creates the template.
	 * @param hedge the hedge node
	 * @param converter how objects become text
	 */
	public HedgeKeyValueTemplate(Hedge hedge, HedgeValueConverter converter) {
		this.hedge = hedge;
		this.converter = converter;
	}

	private KeyValueStore store() {
		return this.hedge.kv();
	}

	/**
	 * Appends a text value.
	 * @param key the key
	 * @param value the value
	 * @return the commit timestamp
	 */
	public Instant put(String key, String value) {
		return store().put(key, value);
	}

	/**
	 * Appends an object, converted to text.
	 * @param key the key
	 * @param value the value
	 * @return the commit timestamp
	 */
	public Instant put(String key, Object value) {
		return store().put(key, toText(value));
	}

	/**
	 * Appends bytes (stored as Base64).
	 * @param key the key
	 * @param value the bytes
	 * @return the commit timestamp
	 */
	public Instant putBytes(String key, byte[] value) {
		return store().put(key, Base64.getEncoder().encodeToString(value));
	}

	/**
	 * Writes with options (no-append slot, direct write, deadline).
	 * @param key the key
	 * @param value the value (converted unless a String)
	 * @param options the options
	 * @return the commit timestamp
	 */
	public Instant put(String key, Object value, PutOptions options) {
		return store().put(key, toText(value), options);
	}

	/**
	 * The latest text value.
	 * @param key the key
	 * @return the value, or empty
	 */
	public Optional<String> get(String key) {
		return store().get(key).map(KeyValue::value);
	}

	/**
	 * The latest value, converted.
	 * @param <T> the type
	 * @param key the key
	 * @param type the type
	 * @return the value, or empty
	 */
	public <T> Optional<T> get(String key, Class<T> type) {
		return store().get(key).map((kv) -> fromText(kv.value(), type));
	}

	/**
	 * The latest bytes (stored as Base64).
	 * @param key the key
	 * @return the bytes, or empty
	 */
	public Optional<byte[]> getBytes(String key) {
		return store().get(key).map((kv) -> Base64.getDecoder().decode(kv.value()));
	}

	/**
	 * The latest version with its timestamp and writer.
	 * @param key the key
	 * @return the version, or empty
	 */
	public Optional<KeyValue> getEntry(String key) {
		return store().get(key);
	}

	/**
	 * Every version, newest first.
	 * @param key the key
	 * @return the versions
	 */
	public List<KeyValue> history(String key) {
		return store().history(key);
	}

	/**
	 * Every version, newest first, converted.
	 * @param <T> the type
	 * @param key the key
	 * @param type the type
	 * @return the values
	 */
	public <T> List<T> history(String key, Class<T> type) {
		return store().history(key).stream().map((kv) -> fromText(kv.value(), type)).toList();
	}

	/**
	 * The {@code n} newest versions.
	 * @param key the key
	 * @param n how many
	 * @return the versions, newest first
	 */
	public List<KeyValue> newest(String key, int n) {
		return store().newest(key, n);
	}

	/**
	 * The oldest version.
	 * @param key the key
	 * @return the version, or empty
	 */
	public Optional<KeyValue> oldest(String key) {
		return store().oldest(key);
	}

	private String toText(Object value) {
		if (value instanceof String text) {
			return text;
		}
		if (value instanceof byte[] bytes) {
			return Base64.getEncoder().encodeToString(bytes);
		}
		return this.converter.write(value);
	}

	@SuppressWarnings("unchecked")
	private <T> T fromText(String text, Class<T> type) {
		if (type == String.class) {
			return (T) text;
		}
		if (type == byte[].class) {
			return (T) Base64.getDecoder().decode(text.getBytes(StandardCharsets.US_ASCII));
		}
		return this.converter.read(text, type);
	}

}
