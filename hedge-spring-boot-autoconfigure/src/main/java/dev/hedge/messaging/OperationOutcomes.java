package dev.hedge.messaging;

import java.util.function.Supplier;

import org.slf4j.LoggerFactory;

import dev.hedge.common.OperationObserver;
import dev.hedge.common.OperationObserver.Operation;
import dev.hedge.common.OperationObserver.Outcome;
import dev.hedge.common.StoreException;
import dev.hedge.election.FencedException;

/**
 * Classifies failures into {@link Outcome}s and reports completed operations to an {@link OperationObserver}, never
 * letting the observer disturb the operation. Used by messaging, the key/value log and semaphores.
 */
public final class OperationOutcomes {

	private OperationOutcomes() {
	}

	/**
	 * The outcome a failure stands for.
	 * @param error what an operation threw (or a broadcast member's error)
	 * @return the outcome ({@link Outcome#ERROR} when not one of hedge's typed failures)
	 */
	public static Outcome of(Throwable error) {
		if (error instanceof NoLeaderException) {
			return Outcome.NO_LEADER;
		}
		if (error instanceof NotLeaderException) {
			return Outcome.NOT_LEADER;
		}
		if (error instanceof MemberUnavailableException unavailable) {
			return unavailable.isTimeout() ? Outcome.TIMEOUT : Outcome.UNAVAILABLE;
		}
		if (error instanceof HandlerFailedException) {
			return Outcome.HANDLER_FAILED;
		}
		if (error instanceof RequestRejectedException) {
			return Outcome.REJECTED;
		}
		if (error instanceof FencedException) {
			return Outcome.FENCED;
		}
		if (error instanceof StoreException store) {
			return store.isTimeout() ? Outcome.TIMEOUT : Outcome.UNAVAILABLE;
		}
		if (error instanceof IllegalArgumentException) {
			return Outcome.REJECTED;
		}
		if (error instanceof InterruptedException) {
			return Outcome.INTERRUPTED;
		}
		return Outcome.ERROR;
	}

	/**
	 * Runs an operation and reports its outcome and latency.
	 * @param <T> the result type
	 * @param observer the observer
	 * @param operation what runs
	 * @param call the operation
	 * @return its result
	 */
	public static <T> T observe(OperationObserver observer, Operation operation, Supplier<T> call) {
		long started = System.nanoTime();
		try {
			T result = call.get();
			report(observer, operation, Outcome.OK, started);
			return result;
		}
		catch (RuntimeException | Error ex) {
			report(observer, operation, of(ex), started);
			throw ex;
		}
	}

	/**
	 * Reports a completed operation.
	 * @param observer the observer
	 * @param operation what completed
	 * @param outcome how it ended
	 * @param startedNanos {@link System#nanoTime()} when it was called
	 */
	public static void report(OperationObserver observer, Operation operation, Outcome outcome, long startedNanos) {
		try {
			observer.completed(operation, outcome, System.nanoTime() - startedNanos);
		}
		catch (RuntimeException ex) {
			LoggerFactory.getLogger(OperationObserver.class).warn("Operation observer {} failed", observer, ex);
		}
	}

	/**
	 * Reports a completed semaphore operation.
	 * @param observer the observer
	 * @param operation what completed
	 * @param semaphore the semaphore's name
	 * @param limit its limit
	 * @param outcome how it ended
	 * @param startedNanos {@link System#nanoTime()} when it was called
	 */
	public static void reportSemaphore(OperationObserver observer, Operation operation, String semaphore, int limit,
			Outcome outcome, long startedNanos) {
		try {
			observer.semaphoreCompleted(operation, semaphore, limit, outcome, System.nanoTime() - startedNanos);
		}
		catch (RuntimeException ex) {
			LoggerFactory.getLogger(OperationObserver.class).warn("Operation observer {} failed", observer, ex);
		}
	}

}
