package dev.hedge.replicator;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Storage SPI of replicated data: rows of encoded values ({@code hedge.v1.CrdtBatch} bytes) that each member appends
 * under its own replica id (durable mode: its deltas in order, and now and then its whole state, after which it
 * deletes its older rows), and the record of which member prunes a removed replica. Implemented by the store
 * adapters (table {@code <log table>_crdt}); all SQL stays there.
 *
 * <p>Rows never need a fence or a leader: each holds values that only ever merge (a CRDT join is monotone), so the
 * join of whatever rows exist is never below anything a member stored, rows of a process that was taken for dead
 * do no harm, and a member deletes only rows that a row it has already committed covers.
 *
 * <p>Implementations are thread-safe; every call has a deadline and fails with a
 * {@link dev.hedge.common.StoreException} (retryable or not).
 */
public interface ReplicaSnapshotStore {

	/** Largest row data the replicator writes, in bytes (well inside every backend's cell limit). */
	int MAX_ROW_BYTES = 1 << 20;

	/**
	 * Appends rows {@code (group, replica, sequence, 0..parts-1)}. All parts are committed when the call returns;
	 * an implementation may commit them in several transactions (a partial append only adds mergeable rows).
	 * @param group the group
	 * @param replica the writing replica
	 * @param sequence the replica's row sequence, increasing
	 * @param parts the data, each at most {@link #MAX_ROW_BYTES}
	 * @param timeout the deadline
	 */
	void append(String group, String replica, long sequence, List<byte[]> parts, Duration timeout);

	/**
	 * Reads every data row of the group (not the pruning records), in no particular order.
	 * @param group the group
	 * @param rows receives each row
	 * @param timeout the deadline
	 */
	void readAll(String group, Consumer<Row> rows, Duration timeout);

	/**
	 * Deletes a replica's rows up to and including a sequence.
	 * @param group the group
	 * @param replica the replica
	 * @param sequence the last sequence to delete
	 * @param timeout the deadline
	 * @return how many rows were deleted
	 */
	int deleteUpTo(String group, String replica, long sequence, Duration timeout);

	/**
	 * Records that {@code pruner} prunes {@code removed}, unless a pruner was recorded before; returns the recorded
	 * pruner either way. Atomic: of concurrent callers exactly one pruner is recorded.
	 * @param group the group
	 * @param removed the removed replica
	 * @param pruner the replica that would prune it
	 * @param timeout the deadline
	 * @return the pruner on record
	 */
	String decidePruning(String group, String removed, String pruner, Duration timeout);

	/**
	 * One stored row.
	 *
	 * @param replica the replica that wrote it
	 * @param sequence its row sequence
	 * @param part its part number within the sequence
	 * @param data the encoded values
	 */
	record Row(String replica, long sequence, int part, byte[] data) {
	}

}
