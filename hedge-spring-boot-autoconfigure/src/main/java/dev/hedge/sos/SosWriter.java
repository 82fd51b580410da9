package dev.hedge.sos;

/**
 * The single writer of a store. Used by one thread at a time.
 *
 * <p>{@link #write(byte[])} places the record in this member's memory or disk, or queues it on the stream to the
 * current peer and returns; peers acknowledge asynchronously, at most 8 MiB of records per peer are awaiting
 * acknowledgement (then {@code write} waits, up to 30 s per peer). A peer that is full, fails or does not answer in
 * time is left and the records it did not acknowledge go to the next member in the placement order. When no member
 * is left, the writer fails with {@link SosCapacityException}, thrown by the {@code write} or {@link #close()} call
 * that finds out; it names how many records of the session are stored, and those are always exactly the first ones
 * written. No record is dropped silently.
 *
 * <p>{@link #close()} waits until every peer has acknowledged everything (or has been replaced by the next member),
 * so a reader opened after {@code close} returns sees every record, and releases the store's writer slot in every
 * case.
 */
public interface SosWriter extends AutoCloseable {

	/**
	 * Appends one record (copied; the caller may reuse the array).
	 * @param record the record, up to {@link SpillOver#maxRecordBytes()}
	 * @throws SosRecordTooLargeException if the record exceeds the cap (the writer stays usable)
	 * @throws SosCapacityException if no member has room left (the writer is then failed)
	 * @throws SosClosedException if the writer is closed or the store deleted
	 */
	default void write(byte[] record) {
		write(record, 0, record.length);
	}

	/**
	 * Appends a slice of an array as one record.
	 * @param record the array
	 * @param offset where the record starts
	 * @param length its length, up to {@link SpillOver#maxRecordBytes()}
	 * @throws SosRecordTooLargeException if the record exceeds the cap (the writer stays usable)
	 * @throws SosCapacityException if no member has room left (the writer is then failed)
	 * @throws SosClosedException if the writer is closed or the store deleted
	 */
	void write(byte[] record, int offset, int length);

	/**
	 * Records of this session known to be stored (in this member's tiers, or acknowledged by a peer).
	 * @return the count
	 */
	long recordsStored();

	/**
	 * Waits for the peers' acknowledgements, then releases the writer slot. Idempotent.
	 * @throws SosCapacityException if records awaiting acknowledgement found no member with room (the slot is
	 * released anyway)
	 */
	@Override
	void close();

}
