package dev.hedge.common;

import java.util.List;
import java.util.Locale;

import org.slf4j.LoggerFactory;

/**
 * Hooks on the operations a member starts, called once each completes: sends to the leader, broadcasts, key/value
 * puts, semaphore acquires and releases. For metrics; registered with {@code HedgeNode.Builder#addOperationObserver}.
 *
 * <p>Threading: called on the thread that completed the operation — the caller's thread for sends, puts, acquires
 * and releases, a transport or pool thread for broadcasts — so calls may overlap. Implementations must be quick, must
 * not block and must not throw (what they throw is logged and otherwise ignored; the operation's result is never
 * affected).
 *
 * <p>Latency is measured on the monotonic clock from the call to its completion, retries and waits included (an
 * acquire that waited for a permit reports the wait).
 */
public interface OperationObserver {

	/** Observes nothing. */
	OperationObserver NONE = new OperationObserver() {
	};

	/**
	 * An operation completed (for semaphore operations see {@link #semaphoreCompleted}, which by default ends here).
	 * @param operation what completed
	 * @param outcome how it ended
	 * @param latencyNanos time from the call to its completion
	 */
	default void completed(Operation operation, Outcome outcome, long latencyNanos) {
	}

	/**
	 * A semaphore operation completed. By default calls {@link #completed(Operation, Outcome, long)}.
	 * @param operation {@link Operation#SEMAPHORE_ACQUIRE} or {@link Operation#SEMAPHORE_RELEASE}
	 * @param semaphore the semaphore's name
	 * @param limit the semaphore's limit
	 * @param outcome how it ended
	 * @param latencyNanos time from the call to its completion
	 */
	default void semaphoreCompleted(Operation operation, String semaphore, int limit, Outcome outcome,
			long latencyNanos) {
		completed(operation, outcome, latencyNanos);
	}

	/**
	 * One observer that calls each of {@code observers} in order; one that throws does not keep the others from
	 * seeing the operation.
	 * @param observers the observers
	 * @return the composite ({@link #NONE} when empty, the observer itself when there is one)
	 */
	static OperationObserver composite(List<OperationObserver> observers) {
		List<OperationObserver> all = List.copyOf(observers);
		if (all.isEmpty()) {
			return NONE;
		}
		if (all.size() == 1) {
			return all.get(0);
		}
		return new OperationObserver() {
			@Override
			public void completed(Operation operation, Outcome outcome, long latencyNanos) {
				for (OperationObserver observer : all) {
					try {
						observer.completed(operation, outcome, latencyNanos);
					}
					catch (RuntimeException ex) {
						LoggerFactory.getLogger(OperationObserver.class).warn("Operation observer {} failed", observer, ex);
					}
				}
			}

			@Override
			public void semaphoreCompleted(Operation operation, String semaphore, int limit, Outcome outcome,
					long latencyNanos) {
				for (OperationObserver observer : all) {
					try {
						observer.semaphoreCompleted(operation, semaphore, limit, outcome, latencyNanos);
					}
					catch (RuntimeException ex) {
						LoggerFactory.getLogger(OperationObserver.class).warn("Operation observer {} failed", observer, ex);
					}
				}
			}
		};
	}

	/** Operations a member starts. */
	enum Operation {

		/** A send to the leader's handler (one attempt, or with retries). */
		SEND("send"),

		/** A broadcast to every member (completes when every member answered or failed). */
		BROADCAST("broadcast"),

		/** A key/value put (forwarded to the leader, or direct). */
		KV_PUT("kv.put"),

		/** A semaphore acquire (blocking, timed, or a single attempt). */
		SEMAPHORE_ACQUIRE("semaphore.acquire"),

		/** A release of a permit this member holds. */
		SEMAPHORE_RELEASE("semaphore.release");

		private final String id;

		Operation(String id) {
			this.id = id;
		}

		/**
		 * A stable lower-case name, e.g. {@code kv.put} (meter names are built from it).
		 * @return the name
		 */
		public String id() {
			return this.id;
		}

	}

	/** How an operation ended. Tags use {@link #id()}, e.g. {@code not_leader}. */
	enum Outcome {

		/** It succeeded (for a broadcast: every member answered). */
		OK,

		/** An acquire got no permit: the semaphore stayed full for the whole wait (or the single attempt). */
		FULL,

		/** A release found the permit no longer held (the leader had reclaimed it). */
		NOT_HELD,

		/** No leader was known. */
		NO_LEADER,

		/** The member called was not (or no longer) the leader. */
		NOT_LEADER,

		/** The member called, or the store, could not be reached. */
		UNAVAILABLE,

		/** No answer within the deadline: the effect is unknown. */
		TIMEOUT,

		/** The receiving handler threw. */
		HANDLER_FAILED,

		/** The receiver refused the request: no handler, too large, invalid, another group. */
		REJECTED,

		/** A leader-side write was fenced off by a newer epoch. */
		FENCED,

		/** The caller was interrupted while waiting. */
		INTERRUPTED,

		/** Anything else. */
		ERROR;

		/**
		 * The lower-case name, e.g. {@code handler_failed}.
		 * @return the name
		 */
		public String id() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

}
