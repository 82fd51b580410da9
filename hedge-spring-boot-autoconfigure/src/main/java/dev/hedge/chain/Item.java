package dev.hedge.chain;

import java.util.Arrays;
import java.util.Objects;

/**
 * One version of a key as a member's {@link ChainStore} holds it. Immutable: the constructor copies the value and
 * {@link #value()} returns a copy, so an item can be shared between threads and handed out freely;
 * {@link #valueLength()}, {@link #hasValue(byte[])} and {@link #copyValue(byte[], int)} avoid the copy. Equality
 * compares the value's content.
 *
 * @param key the key
 * @param version the version, from 1
 * @param value the value (copied)
 * @param writeId the id of the client write that produced this version
 * @param committed whether the version is committed (clean) rather than pending (dirty)
 */
public record Item(String key, long version, byte[] value, String writeId, boolean committed) {

	/**
	 * Creates the item.
	 * @param key the key
	 * @param version the version, from 1
	 * @param value the value (copied)
	 * @param writeId the write id
	 * @param committed whether committed
	 * @throws ChainVersionException if the version is below 1
	 */
	public Item {
		Objects.requireNonNull(key, "key");
		Objects.requireNonNull(value, "value");
		Objects.requireNonNull(writeId, "writeId");
		if (version < 1) {
			throw new ChainVersionException(ChainVersionException.Reason.INVALID_VERSION, "item", key, version, 0, 0);
		}
		value = value.clone();
	}

	/**
	 * A copy of the value.
	 * @return the value's bytes, the caller's to keep or change
	 */
	@Override
	public byte[] value() {
		return this.value.clone();
	}

	/**
	 * The value's length.
	 * @return bytes
	 */
	public int valueLength() {
		return this.value.length;
	}

	/**
	 * Whether the value has this content.
	 * @param other bytes to compare with
	 * @return whether equal
	 */
	public boolean hasValue(byte[] other) {
		return Arrays.equals(this.value, other);
	}

	/**
	 * Copies the value into an array.
	 * @param target where to copy
	 * @param offset where in it
	 */
	public void copyValue(byte[] target, int offset) {
		System.arraycopy(this.value, 0, target, offset, this.value.length);
	}

	/**
	 * This item with the committed flag set.
	 * @return the committed item
	 */
	public Item asCommitted() {
		return this.committed ? this : new Item(this.key, this.version, this.value, this.writeId, true);
	}

	/**
	 * Whether another item is the same write of the same version: same key, version, value and write id (the flag
	 * may differ).
	 * @param other the other item
	 * @return whether it is the same write
	 */
	public boolean sameWrite(Item other) {
		return other != null && this.version == other.version && this.key.equals(other.key)
				&& this.writeId.equals(other.writeId) && Arrays.equals(this.value, other.value);
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof Item item && this.committed == item.committed && sameWrite(item);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.key, this.version, this.writeId, this.committed) * 31 + Arrays.hashCode(this.value);
	}

	@Override
	public String toString() {
		return "Item[key=" + ChainVersionException.shorten(this.key) + ", version=" + this.version + ", "
				+ this.value.length + " bytes, writeId=" + this.writeId + ", "
				+ (this.committed ? "committed" : "pending") + "]";
	}

}
