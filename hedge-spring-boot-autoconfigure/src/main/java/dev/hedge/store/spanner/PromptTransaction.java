package dev.hedge.store.spanner;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import com.google.cloud.Timestamp;
import com.google.cloud.spanner.AbortedException;
import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.ErrorCode;
import com.google.cloud.spanner.SpannerExceptionFactory;
import com.google.cloud.spanner.TransactionContext;
import com.google.cloud.spanner.TransactionManager;
import io.grpc.Context;
import io.grpc.Deadline;

/**
 * A read-write transaction that is re-run promptly when aborted, for the lease's renewals, take-overs and releases:
 * their latency decides how long a leader may trust itself and how fast a successor takes over. The client's own
 * {@code readWriteTransaction().run} waits, when Spanner gives no retry delay (the emulator never does), after the
 * Rollback RPC's back-off: 250 ms growing by 1.3 per abort. Under the single-transaction emulator's contention with
 * the workload's writes that put a lease release 1.37 s behind its leader's step-down in a chaos run. Here an aborted
 * attempt is re-run after the delay Spanner asks for, or else after a jittered 2, 4, 8 … ms back-off capped at
 * {@link #MAX_BACKOFF_MILLIS}; the whole callback runs again (every condition re-checked), as with {@code run}.
 *
 * <p>Runs on the calling thread, which must be inside {@link SpannerCalls#call} (its gRPC {@link Context} carries the
 * deadline): once the deadline passes no further attempt starts and the call fails with DEADLINE_EXCEEDED.
 * Stateless; thread-safe.
 */
final class PromptTransaction {

	/** The longest back-off between two attempts when Spanner gives no retry delay. */
	static final long MAX_BACKOFF_MILLIS = 8;

	private PromptTransaction() {
	}

	/** The callback's value and the commit timestamp of the attempt that committed. */
	record Committed<T>(T value, Timestamp commitTimestamp) {

	}

	/** The work of one attempt. */
	@FunctionalInterface
	interface Work<T> {

		T apply(TransactionContext tx);

	}

	static <T> Committed<T> run(DatabaseClient client, Work<T> work) {
		try (TransactionManager manager = client.transactionManager()) {
			TransactionContext tx = manager.begin();
			for (int attempt = 1;; attempt++) {
				try {
					T value = work.apply(tx);
					manager.commit();
					return new Committed<>(value, manager.getCommitTimestamp());
				}
				catch (AbortedException ex) {
					pause(backoffMillis(attempt, ex.getRetryDelayInMillis()));
					tx = manager.resetForRetry();
				}
			}
		}
	}

	static long backoffMillis(int attempt, long askedMillis) {
		if (askedMillis > 0) {
			return askedMillis;
		}
		long ceiling = Math.min(MAX_BACKOFF_MILLIS, 1L << Math.min(attempt, 5));
		return ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1);
	}

	private static void pause(long millis) {
		Deadline deadline = Context.current().getDeadline();
		if (deadline != null && deadline.timeRemaining(TimeUnit.MILLISECONDS) <= millis) {
			throw SpannerExceptionFactory.newSpannerException(ErrorCode.DEADLINE_EXCEEDED,
					"transaction aborted and its deadline is too near for another attempt");
		}
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw SpannerExceptionFactory.newSpannerException(ErrorCode.CANCELLED, "interrupted between attempts", ex);
		}
	}

}
