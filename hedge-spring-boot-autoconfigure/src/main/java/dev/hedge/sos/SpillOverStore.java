package dev.hedge.sos;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * A handle to one named, append-only store of byte records on this member (the origin). Records are kept in write
 * order across this member's memory and disk and the peers the store spilled to (see {@link SpillOver} for the
 * placement order).
 *
 * <p><b>Writers.</b> One writer at a time per store: {@link #writer()} fails fast with
 * {@link SosWriterBusyException} while another writer of the store is open (on any handle); {@link #writer(Duration)}
 * waits up to a timeout instead. A writer opened after the previous one was closed appends after its records.
 *
 * <p><b>Readers.</b> Any number of readers at once, also while a writer is open: a reader returns the records that
 * were stored (acknowledged by the peers holding them) when it was opened, in write order.
 *
 * <p><b>Lifetime.</b> The data stays while a handle, writer or reader of the store is open. When the last one is
 * closed the TTL starts; when it has passed, everything is freed here and on the peers. {@link #delete()} frees
 * everything at once. Opening a handle again within the TTL keeps the data.
 *
 * <p>Thread-safe; writers and readers are each used by one thread at a time.
 */
public interface SpillOverStore extends AutoCloseable {

	/**
	 * The store's name.
	 * @return the name
	 */
	String name();

	/**
	 * Opens the store's writer, failing fast if another is open.
	 * @return the writer
	 * @throws SosWriterBusyException if a writer of this store is open
	 * @throws SosClosedException if this handle is closed or the store was deleted
	 */
	SosWriter writer();

	/**
	 * Opens the store's writer, waiting up to {@code timeout} for an open one to close.
	 * @param timeout how long to wait
	 * @return the writer
	 * @throws SosWriterBusyException if the writer open at the timeout is still open
	 * @throws SosClosedException if this handle is closed or the store was deleted
	 */
	SosWriter writer(Duration timeout);

	/**
	 * Opens a reader of the records stored now.
	 * @return the reader (close it; an open reader keeps the store alive)
	 * @throws SosClosedException if this handle is closed or the store was deleted
	 */
	SosReader reader();

	/**
	 * Reads every record stored now, in write order, on the caller's thread.
	 * @param consumer receives each record (a fresh array the consumer may keep)
	 * @return how many records were read
	 * @throws SosReadException if a peer holding records cannot be read
	 * @throws SosClosedException if the store is deleted meanwhile
	 */
	default long read(Consumer<byte[]> consumer) {
		try (SosReader reader = reader()) {
			long count = 0;
			while (reader.hasNext()) {
				consumer.accept(reader.next());
				count++;
			}
			return count;
		}
	}

	/**
	 * What the store holds and where. Answered from memory.
	 * @return the figures
	 */
	SosStoreStats stats();

	/**
	 * Frees everything at once: this member's memory and file, and the segments on every peer (this call waits up to
	 * 5 s for the peers to confirm; a peer that does not answer frees them when its TTL has passed, and a warning is
	 * logged). Open writers and readers of the store fail with {@link SosClosedException}. Later
	 * {@link SpillOver#store(String)} calls create a new, empty store. Idempotent.
	 */
	void delete();

	/**
	 * Closes this handle (not the store): when the last handle, writer and reader of the store are closed, the TTL
	 * starts. Idempotent.
	 */
	@Override
	void close();

}
