package dev.hedge.kv;

import java.time.Duration;
import java.util.List;

import dev.hedge.common.StoreException;
import dev.hedge.election.Fence;
import dev.hedge.election.FencedException;

/**
 * Storage SPI of the append-only key/value log (hedge's log table: {@code id, key, value, leader, timestamp}, primary
 * key {@code (key, id)}, timestamp = commit timestamp). Implemented by every store adapter. Thread-safe.
 */
public interface LogStore {

	/**
	 * Writes records in one transaction that first checks the fence against the lease row (same transaction; a
	 * {@code null} fence writes unfenced, for a member's direct write). A
	 * record whose {@code (key, id)} already exists is not written again (a retried put never duplicates) and keeps
	 * its original timestamp; a record with id {@link LogRecord#NO_APPEND_ID} replaces that key's single no-append
	 * row. Timestamps strictly increase from one append to the next for the same key.
	 * @param fence the writer's fence, or {@code null} for an unfenced direct write
	 * @param records the records (at most one per {@code (key, id)}; later duplicates are ignored)
	 * @param timeout deadline of the call
	 * @return the commit timestamp of each record, in the order given
	 * @throws FencedException if the fence is stale (nothing was written)
	 * @throws StoreException on failure or timeout (the append may or may not have committed)
	 */
	List<java.time.Instant> append(Fence fence, List<LogRecord> records, Duration timeout);

	/**
	 * Reads one key with a strong read; rows without a timestamp are ignored.
	 * @param key the key
	 * @param query which rows
	 * @param timeout deadline of the call
	 * @return the rows, newest first ({@link LogQuery#oldest()} gives the oldest only); empty for an unknown key
	 * @throws StoreException on failure or timeout
	 */
	List<LogEntry> read(String key, LogQuery query, Duration timeout);

}
