package dev.hedge.chain;

import dev.hedge.common.HedgeConfigurationException;

/**
 * Limits of a {@link ChainStore}. Immutable. Every member of a chain should use the same limits: a write one member
 * accepts and another refuses stalls the chain.
 *
 * @param maxKeyBytes the largest key, in UTF-8 bytes (1..65 536)
 * @param maxValueBytes the largest value, in bytes (0-byte values are allowed; 1..256 MiB)
 * @param maxWriteIdBytes the largest write id, in UTF-8 bytes (1..1 024)
 * @param writeIdsPerKey how many recent writes each key remembers for exactly-once retries (2..4 096): the write
 * ids of the newest {@code writeIdsPerKey} versions of the key. A retry of an older write is no longer recognised
 * and would be staged as a new write; so the bound must exceed the number of writes of one key that can happen
 * while a client is still retrying. Each record costs the write id's length plus about 10 bytes per key.
 */
public record ChainStoreOptions(int maxKeyBytes, int maxValueBytes, int maxWriteIdBytes, int writeIdsPerKey) {

	/** 1 KiB keys, 4 MiB values, 128-byte write ids, 32 remembered writes per key. */
	public static final ChainStoreOptions DEFAULTS = new ChainStoreOptions(1024, 4 << 20, 128, 32);

	/**
	 * Validates the limits.
	 * @param maxKeyBytes key limit
	 * @param maxValueBytes value limit
	 * @param maxWriteIdBytes write id limit
	 * @param writeIdsPerKey remembered writes per key
	 */
	public ChainStoreOptions {
		if (maxKeyBytes < 1 || maxKeyBytes > 65_536) {
			throw new HedgeConfigurationException("hedge.chain.max-key-size",
					"must be 1B..64KB (was " + maxKeyBytes + ")");
		}
		if (maxValueBytes < 1 || maxValueBytes > (256 << 20)) {
			throw new HedgeConfigurationException("hedge.chain.max-value-size",
					"must be 1B..256MB (was " + maxValueBytes + ")");
		}
		if (maxWriteIdBytes < 1 || maxWriteIdBytes > 1024) {
			throw new HedgeConfigurationException("hedge.chain.max-write-id-size",
					"must be 1B..1KB (was " + maxWriteIdBytes + ")");
		}
		if (writeIdsPerKey < 2 || writeIdsPerKey > 4096) {
			throw new HedgeConfigurationException("hedge.chain.write-ids-per-key",
					"must be 2..4096 (was " + writeIdsPerKey + ")");
		}
	}

	/**
	 * These limits with another number of remembered writes per key.
	 * @param count remembered writes per key
	 * @return new limits
	 */
	public ChainStoreOptions withWriteIdsPerKey(int count) {
		return new ChainStoreOptions(this.maxKeyBytes, this.maxValueBytes, this.maxWriteIdBytes, count);
	}

	/**
	 * These limits with another value limit.
	 * @param bytes the largest value
	 * @return new limits
	 */
	public ChainStoreOptions withMaxValueBytes(int bytes) {
		return new ChainStoreOptions(this.maxKeyBytes, bytes, this.maxWriteIdBytes, this.writeIdsPerKey);
	}

}
