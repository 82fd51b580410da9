package dev.hedge.chain;

import java.util.Arrays;
import java.util.Objects;

/**
 * A committed value of a key, as a read returned it. Immutable: the value is copied in and out.
 *
 * @param key the key
 * @param version the version of the value (the writes of a key get versions 1, 2, 3, ...)
 * @param value the value
 */
public record ChainValue(String key, long version, byte[] value) {

	/**
	 * Creates the value.
	 * @param key the key
	 * @param version the version, from 1
	 * @param value the value (copied)
	 */
	public ChainValue {
		Objects.requireNonNull(key, "key");
		value = value.clone();
	}

	/**
	 * A copy of the value.
	 * @return the bytes
	 */
	@Override
	public byte[] value() {
		return this.value.clone();
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof ChainValue that && this.key.equals(that.key) && this.version == that.version
				&& Arrays.equals(this.value, that.value);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.key, this.version) * 31 + Arrays.hashCode(this.value);
	}

	@Override
	public String toString() {
		return "ChainValue[" + ChainVersionException.shorten(this.key) + " v" + this.version + ", "
				+ this.value.length + " bytes]";
	}

}
