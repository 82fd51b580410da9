package dev.hedge.store.spanner;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import com.google.cloud.spanner.ErrorCode;
import com.google.cloud.spanner.SpannerException;
import io.grpc.Context;

import dev.hedge.common.HedgeException;
import dev.hedge.common.NamedThreads;
import dev.hedge.common.StoreException;

/**
 * Runs every Spanner call of the adapter: under a gRPC {@link Context} deadline (the Spanner client applies it to
 * every RPC it makes for the call, retries included) and with Spanner exceptions translated to
 * {@link StoreException}. The caller waits at most the timeout (plus {@link #GRACE}) even when the client does not
 * honour the deadline: the chaos suite saw a fenced semaphore grant blocked 11.6 s in a streaming read's
 * resume-on-UNAVAILABLE loop while the link to the database was reset, under a 2 s deadline. Such a call goes on on
 * its worker thread, with its context cancelled, and the caller gets a timeout (outcome unknown) on time.
 *
 * <p>Owns one timer thread, {@code hedge-spanner-deadlines}, and a pool of worker threads,
 * {@code hedge-spanner-call-n}, both stopped by {@link #close()}. The pool starts threads on demand, up to
 * {@link #MAX_WORKERS} (calls in flight plus abandoned calls the client has not yet let go of), and lets a thread
 * idle for {@link #WORKER_KEEP_ALIVE} end; a call that finds every worker busy fails at once with a definite
 * (not started) {@link StoreException} rather than growing the pool without bound while the database hangs.
 * Thread-safe.
 */
final class SpannerCalls implements AutoCloseable {

	/** How much longer than its timeout a caller waits for a call before giving up on it. */
	static final Duration GRACE = Duration.ofMillis(250);

	/** Most worker threads at once of the general pool; beyond it a call fails fast instead of adding a thread. */
	static final int MAX_WORKERS = 64;

	/**
	 * Most worker threads of the lease pool: an elector makes one call at a time, but a call its caller gave up on
	 * (interrupted, timed out) keeps its thread until the client lets go.
	 */
	static final int MAX_LEASE_WORKERS = 32;

	/** How long an idle worker thread lives. */
	static final Duration WORKER_KEEP_ALIVE = Duration.ofSeconds(30);

	private final ScheduledExecutorService deadlines;

	private final ExecutorService workers;

	private final int maxWorkers;

	/**
	 * Creates a call runner with its own threads, {@code hedge-<owner>-deadlines} and {@code hedge-<owner>-call-n}.
	 * @param owner the thread-name owner ({@code spanner}, or {@code spanner-lease} for the lease calls, which get a
	 * pool of their own so that application traffic that fills the general pool never delays a renewal)
	 * @param maxWorkers the most worker threads at once
	 */
	SpannerCalls(String owner, int maxWorkers) {
		this.maxWorkers = maxWorkers;
		this.deadlines = Executors.newSingleThreadScheduledExecutor(NamedThreads.single(owner, "deadlines"));
		this.workers = new ThreadPoolExecutor(0, maxWorkers, WORKER_KEEP_ALIVE.toSeconds(), TimeUnit.SECONDS,
				new SynchronousQueue<>(), NamedThreads.pool(owner, "call"));
	}

	/** The general call runner ({@value #MAX_WORKERS} workers). */
	SpannerCalls() {
		this("spanner", MAX_WORKERS);
	}

	<T> T call(String what, Duration timeout, Supplier<T> work) {
		Context.CancellableContext context;
		Future<T> future;
		try {
			context = Context.current().withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS, this.deadlines);
		}
		catch (RejectedExecutionException ex) {
			throw new StoreException("Spanner " + what + " not started: the store is closed", ex, false);
		}
		try {
			future = this.workers.submit(() -> context.call(work::get));
		}
		catch (RejectedExecutionException ex) {
			context.cancel(null);
			String why = this.workers.isShutdown() ? "the store is closed"
					: "all " + this.maxWorkers + " call threads are busy (the database is not answering)";
			throw new StoreException("Spanner " + what + " not started: " + why, ex, false);
		}
		try {
			return future.get(timeout.plus(GRACE).toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			throw new StoreException("Spanner " + what + " did not finish within " + timeout
					+ " (the client did not honour the deadline); its outcome is unknown", ex, true);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new StoreException("Spanner " + what + " interrupted", ex, true);
		}
		catch (ExecutionException wrapped) {
			Throwable cause = wrapped.getCause();
			if (cause instanceof HedgeException ex) {
				throw ex;
			}
			if (cause instanceof SpannerException ex) {
				if (ex.getCause() instanceof HedgeException hedge) {
					throw hedge;
				}
				throw new StoreException("Spanner " + what + " failed: " + ex.getErrorCode() + " " + ex.getMessage(),
						ex, outcomeUnknown(ex.getErrorCode(), context.isCancelled()), rejected(ex.getErrorCode()));
			}
			if (cause instanceof Error error) {
				throw error;
			}
			throw new StoreException("Spanner " + what + " failed: " + cause, cause, context.isCancelled());
		}
		finally {
			context.cancel(null);
		}
	}

	/**
	 * Whether a write that failed with {@code code} may nonetheless have committed: the deadline passed, the call was
	 * cancelled by it, or the connection failed in a way that may have hidden the commit's answer.
	 */
	static boolean outcomeUnknown(ErrorCode code, boolean cancelled) {
		return switch (code) {
			case DEADLINE_EXCEEDED, UNAVAILABLE, UNKNOWN, INTERNAL -> true;
			case CANCELLED -> cancelled;
			default -> false;
		};
	}

	/** Whether Spanner refused the data itself (an invalid value, a transaction over its limits). */
	static boolean rejected(ErrorCode code) {
		return code == ErrorCode.INVALID_ARGUMENT || code == ErrorCode.OUT_OF_RANGE;
	}

	static java.time.Instant instant(com.google.cloud.Timestamp timestamp) {
		return java.time.Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
	}

	@Override
	public void close() {
		this.deadlines.shutdownNow();
		this.workers.shutdownNow();
	}

}
