package dev.hedge.chain;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@link ChainStore#read(String)} found for a key: nothing, a clean key (its committed item) or a dirty key (a
 * pending version, and the committed item if there is one). CRAQ serves a clean key locally; for a dirty key the
 * member asks the tail which version is committed and reads that one with
 * {@link ChainStore#readVersion(String, long)}. Immutable.
 */
public sealed interface ReadResult permits ReadResult.NotFound, ReadResult.Clean, ReadResult.Dirty {

	/**
	 * The committed item, if any.
	 * @return the committed item
	 */
	Optional<Item> committed();

	/** The store holds no version of the key. */
	record NotFound() implements ReadResult {

		@Override
		public Optional<Item> committed() {
			return Optional.empty();
		}

	}

	/**
	 * The key has a committed version and no pending one.
	 *
	 * @param item the committed item
	 */
	record Clean(Item item) implements ReadResult {

		/**
		 * Creates the result.
		 * @param item the committed item
		 */
		public Clean {
			Objects.requireNonNull(item, "item");
		}

		@Override
		public Optional<Item> committed() {
			return Optional.of(this.item);
		}

	}

	/**
	 * The key has a pending version.
	 *
	 * @param committed the committed item, empty if the key has no committed version yet
	 * @param pendingVersion the pending version (the committed version + 1)
	 */
	record Dirty(Optional<Item> committed, long pendingVersion) implements ReadResult {

		/**
		 * Creates the result.
		 * @param committed the committed item or empty
		 * @param pendingVersion the pending version
		 */
		public Dirty {
			Objects.requireNonNull(committed, "committed");
		}

	}

}
