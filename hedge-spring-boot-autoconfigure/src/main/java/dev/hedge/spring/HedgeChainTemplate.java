package dev.hedge.spring;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

import dev.hedge.Hedge;
import dev.hedge.chain.ChainValue;
import dev.hedge.chain.HedgeChain;
import dev.hedge.chain.ReadMode;

/**
 * The group's replicated key/value chain (CRAQ, {@code hedge.chain.*}) for Spring applications: strings as UTF-8,
 * bytes as they are, other objects through the {@link HedgeValueConverter} (JSON by default). Writes go to the head
 * from any member and return once the tail committed them, with the version they got; reads are linearizable by
 * default and served by any member. Thread-safe; blocks the caller up to {@code hedge.chain.write-timeout} or
 * {@code hedge.chain.read-timeout}. With {@code hedge.chain.enabled=false} (the default), every call fails with
 * {@link dev.hedge.chain.ChainUnavailableException}.
 */
public class HedgeChainTemplate {

	private final Hedge hedge;

	private final HedgeValueConverter converter;

	/**
	 * Creates the template.
	 * @param hedge the hedge node
	 * @param converter how objects become text
	 */
	public HedgeChainTemplate(Hedge hedge, HedgeValueConverter converter) {
		this.hedge = hedge;
		this.converter = converter;
	}

	private HedgeChain chain() {
		return this.hedge.chain();
	}

	/**
	 * Writes a value.
	 * @param key the key
	 * @param value a String, byte[] or any object the converter writes
	 * @return the version the write got
	 * @throws dev.hedge.chain.ChainUnavailableException if it did not complete in time (see
	 * {@link dev.hedge.chain.ChainException#isOutcomeUnknown()})
	 */
	public long put(String key, Object value) {
		return chain().write(key, toBytes(value));
	}

	/**
	 * Writes a value at most once per write id: a retry with the same id answers the first write's version.
	 * @param key the key
	 * @param value the value
	 * @param writeId the write id
	 * @return the version the write got
	 */
	public long put(String key, Object value, String writeId) {
		return chain().write(key, toBytes(value), writeId);
	}

	/**
	 * Writes a value only if the key's committed version is the expected one.
	 * @param key the key
	 * @param expectedVersion the version expected, 0 for "no value yet"
	 * @param value the value
	 * @return the version the write got
	 * @throws dev.hedge.chain.ChainCompareFailedException if the version differs (nothing written)
	 */
	public long compareAndSet(String key, long expectedVersion, Object value) {
		return chain().compareAndSet(key, expectedVersion, toBytes(value));
	}

	/**
	 * Reads a value, linearizably.
	 * @param <T> the type
	 * @param key the key
	 * @param type String, byte[] or a type the converter reads
	 * @return the value, empty if the key has none
	 */
	public <T> Optional<T> get(String key, Class<T> type) {
		return getEntry(key, type, ReadMode.LINEARIZABLE).map(Entry::value);
	}

	/**
	 * Reads a value with its version (for a compare-and-set that follows).
	 * @param <T> the type
	 * @param key the key
	 * @param type the type
	 * @param mode linearizable, or local (the serving member's committed value, possibly older)
	 * @return the value and its version, empty if the key has none
	 */
	public <T> Optional<Entry<T>> getEntry(String key, Class<T> type, ReadMode mode) {
		return chain().read(key, mode).map((value) -> new Entry<>(key, value.version(), fromBytes(value, type)));
	}

	private byte[] toBytes(Object value) {
		Objects.requireNonNull(value, "value");
		if (value instanceof byte[] bytes) {
			return bytes;
		}
		String text = (value instanceof String string) ? string : this.converter.write(value);
		return text.getBytes(StandardCharsets.UTF_8);
	}

	@SuppressWarnings("unchecked")
	private <T> T fromBytes(ChainValue value, Class<T> type) {
		if (type == byte[].class) {
			return (T) value.value();
		}
		String text = new String(value.value(), StandardCharsets.UTF_8);
		return (type == String.class) ? (T) text : this.converter.read(text, type);
	}

	/**
	 * A value read with its version.
	 * @param <T> the value's type
	 * @param key the key
	 * @param version the version
	 * @param value the value
	 */
	public record Entry<T>(String key, long version, T value) {

	}

}
