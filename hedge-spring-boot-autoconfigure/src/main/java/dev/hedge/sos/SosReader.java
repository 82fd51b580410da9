package dev.hedge.sos;

import java.util.Iterator;

/**
 * Reads the records a store held when the reader was opened, in write order: this member's records directly, a
 * peer's records over a flow-controlled gRPC stream opened when the reader reaches them (at most 32 records are
 * buffered per stream). Used by one thread at a time; an open reader keeps its store alive, so close it.
 *
 * <p>{@link #hasNext()} only compares {@link #position()} with {@link #records()} and never blocks. {@link #next()}
 * blocks while a peer's records are on their way and throws {@link SosReadException} when a peer holding the next
 * record cannot be reached, sends nothing for 30 s, or no longer holds it; the exception names the member and the
 * range of records missing there. It throws {@link SosClosedException} once the store is deleted.
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
