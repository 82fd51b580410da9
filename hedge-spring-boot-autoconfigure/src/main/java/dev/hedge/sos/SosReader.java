package dev.hedge.sos;

import java.util.Iterator;

/**
 * Reads the records a store held when the reader was opened, in write order: this member's records directly, a
 * peer's records over a flow-controlled gRPC stream opened when the reader reaches them (at most 32 records are
 * buffered per stream). Used by one thread at a time; an open reader keeps its store alive, so close it.
 *
 * <p>{@link #hasNext()} and {@link #next()} throw {@link SosReadException} when a peer holding the next records
 * cannot be reached, does not answer within 30 s, or no longer holds them; the exception names the member and the
 * range of records missing. They throw {@link SosClosedException} once the store is deleted.
 */
public interface SosReader extends Iterator<byte[]>, AutoCloseable {

	/**
	 * How many records this reader returns in all.
	 * @return the count fixed when the reader was opened
	 */
	long records();

	/**
	 * The position of the next record (0 for the first).
	 * @return the position
	 */
	long position();

	/** Releases the reader's streams and file mappings. Idempotent. */
	@Override
	void close();

}
