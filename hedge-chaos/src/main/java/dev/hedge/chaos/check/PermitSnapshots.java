package dev.hedge.chaos.check;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * Exact-timestamp reads of a semaphore's permit rows in the database (MVCC snapshots): the ground truth a checker
 * consults to confirm or refute what the histories suggest when they may miss a commit (a leader killed between its
 * commit and its history line, a store call that ended "outcome unknown" although it committed).
 *
 * <p>Contract: the snapshot "at" {@code micros} (microseconds since the epoch, the resolution of the histories'
 * commit timestamps) shows every commit whose timestamp, truncated to microseconds, is at most {@code micros}, and no
 * later commit. An answer is empty whenever such a snapshot could not be read (database down, versions no longer
 * kept, timeout, ...); it is never a guess, so a checker that gets no answer reports what the histories alone show.
 *
 * <p>Implementations must be thread-safe.
 */
public interface PermitSnapshots {

	/** No snapshots: every answer is empty, so checkers rely on the histories alone. */
	PermitSnapshots NONE = new PermitSnapshots() {

		@Override
		public OptionalLong permitsAt(String semaphore, long micros) {
			return OptionalLong.empty();
		}

		@Override
		public Optional<Boolean> heldAt(String semaphore, String permitId, long micros) {
			return Optional.empty();
		}

	};

	/**
	 * How many permit rows a semaphore has in the snapshot at {@code micros}.
	 * @param semaphore the semaphore's name
	 * @param micros the snapshot's timestamp, typically a commit timestamp from the histories
	 * @return the number of permit rows, or empty if the snapshot could not be read
	 */
	OptionalLong permitsAt(String semaphore, long micros);

	/**
	 * Whether one permit's row exists in the snapshot at {@code micros}.
	 * @param semaphore the semaphore's name
	 * @param permitId the permit's id
	 * @param micros the snapshot's timestamp
	 * @return whether the row exists, or empty if the snapshot could not be read
	 */
	Optional<Boolean> heldAt(String semaphore, String permitId, long micros);

}
