package dev.hedge.chain;

import java.util.Objects;

/**
 * One entry of a key's record of recent client writes: the write id and the version it was given. Immutable.
 *
 * @param writeId the client's write id
 * @param version the version the write got
 */
public record WriteRecord(String writeId, long version) {

	/**
	 * Creates the record.
	 * @param writeId the write id
	 * @param version the version, from 1
	 */
	public WriteRecord {
		Objects.requireNonNull(writeId, "writeId");
		if (version < 1) {
			throw new IllegalArgumentException("a write record's version starts at 1 (was " + version + ")");
		}
	}

}
