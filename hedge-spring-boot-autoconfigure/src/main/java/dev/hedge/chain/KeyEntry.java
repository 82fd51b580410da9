package dev.hedge.chain;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Everything a {@link ChainStore} holds for one key: its committed item, its pending item, and its record of recent
 * client writes. This is what {@link ChainStore#scan(String, int)} streams to a new member and what
 * {@link ChainStore#install(KeyEntry)} applies there. Immutable.
 *
 * <p>The constructor enforces the store's invariant: at most two versions, and a pending version is always the
 * committed version + 1 (1 if nothing is committed yet); write records are in ascending version order, one per
 * version, and none is for a version above the newest item.
 *
 * @param key the key
 * @param committed the committed item, or {@code null} if no version is committed yet
 * @param pending the pending item, or {@code null} if the key is clean
 * @param writes the recent writes, oldest first (copied)
 */
public record KeyEntry(String key, Item committed, Item pending, List<WriteRecord> writes) {

	/**
	 * Creates the entry.
	 * @param key the key
	 * @param committed the committed item or {@code null}
	 * @param pending the pending item or {@code null}
	 * @param writes the recent writes, oldest first
	 * @throws ChainVersionException if the pending version is not the committed version + 1
	 * @throws IllegalArgumentException if there is no item, an item is for another key or has the wrong flag, or
	 * the write records are not in strictly ascending version order up to the newest item
	 */
	public KeyEntry {
		Objects.requireNonNull(key, "key");
		writes = List.copyOf(writes);
		if (committed == null && pending == null) {
			throw new IllegalArgumentException("an entry of key '" + key + "' holds no item");
		}
		if (committed != null && (!committed.committed() || !committed.key().equals(key))) {
			throw new IllegalArgumentException("not a committed item of key '" + key + "': " + committed);
		}
		long committedVersion = (committed != null) ? committed.version() : 0;
		if (pending != null) {
			if (pending.committed() || !pending.key().equals(key)) {
				throw new IllegalArgumentException("not a pending item of key '" + key + "': " + pending);
			}
			if (pending.version() != committedVersion + 1) {
				throw new ChainVersionException(ChainVersionException.Reason.GAP, "entry", key, pending.version(),
						committedVersion, pending.version());
			}
		}
		long top = (pending != null) ? pending.version() : committedVersion;
		long previous = 0;
		for (WriteRecord write : writes) {
			if (write.version() <= previous || write.version() > top) {
				throw new IllegalArgumentException("the write records of key '" + key
						+ "' must have ascending versions up to " + top + ": " + writes);
			}
			previous = write.version();
		}
	}

	/**
	 * The committed version.
	 * @return the version, 0 if none
	 */
	public long committedVersion() {
		return (this.committed != null) ? this.committed.version() : 0;
	}

	/**
	 * The pending version.
	 * @return the version, 0 if none
	 */
	public long pendingVersion() {
		return (this.pending != null) ? this.pending.version() : 0;
	}

	/**
	 * Whether a version is pending.
	 * @return whether dirty
	 */
	public boolean isDirty() {
		return this.pending != null;
	}

	/**
	 * The item of a version, committed or pending.
	 * @param version the version
	 * @return the item, empty if neither item has that version
	 */
	public Optional<Item> item(long version) {
		if (this.committed != null && this.committed.version() == version) {
			return Optional.of(this.committed);
		}
		if (this.pending != null && this.pending.version() == version) {
			return Optional.of(this.pending);
		}
		return Optional.empty();
	}

	/**
	 * The items held, committed first.
	 * @return one or two items
	 */
	public List<Item> items() {
		if (this.committed == null) {
			return List.of(this.pending);
		}
		return (this.pending == null) ? List.of(this.committed) : List.of(this.committed, this.pending);
	}

	/**
	 * The version a write id got, if it is among the recorded writes.
	 * @param writeId the write id
	 * @return the version (the newest if the id was recorded twice), empty if not recorded
	 */
	public OptionalLong findWrite(String writeId) {
		for (int i = this.writes.size() - 1; i >= 0; i--) {
			WriteRecord write = this.writes.get(i);
			if (write.writeId().equals(writeId)) {
				return OptionalLong.of(write.version());
			}
		}
		return OptionalLong.empty();
	}

}
