package dev.hedge.kv;

import java.time.Instant;
import java.util.List;

/**
 * Told of every batch the leader committed to the log, with the epoch it was fenced by: for metrics and for fencing
 * audits (every write's epoch must be the latest takeover's at its commit timestamp). Called on the committer thread;
 * implementations must be quick and must not throw.
 */
@FunctionalInterface
public interface CommitObserver {

	/** Observes nothing. */
	CommitObserver NONE = (epoch, records, timestamps) -> {
	};

	/**
	 * A batch committed.
	 * @param epoch the epoch the batch was fenced by
	 * @param records the records
	 * @param timestamps their commit timestamps (a record that already existed keeps its original one)
	 */
	void committed(long epoch, List<LogRecord> records, List<Instant> timestamps);

}
