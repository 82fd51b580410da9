package dev.hedge.store.spanner;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 * {@link StoreException}. Owns one timer thread, {@code hedge-spanner-deadlines}, stopped by {@link #close()}.
 */
final class SpannerCalls implements AutoCloseable {

	private final ScheduledExecutorService deadlines = Executors
		.newSingleThreadScheduledExecutor(NamedThreads.single("spanner", "deadlines"));

	<T> T call(String what, Duration timeout, Supplier<T> work) {
		Context.CancellableContext context = Context.current()
			.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS, this.deadlines);
		try {
			return context.call(work::get);
		}
		catch (HedgeException ex) {
			throw ex;
		}
		catch (SpannerException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof HedgeException hedge) {
				throw hedge;
			}
			boolean timeout1 = ex.getErrorCode() == ErrorCode.DEADLINE_EXCEEDED
					|| (ex.getErrorCode() == ErrorCode.CANCELLED && context.isCancelled());
			throw new StoreException("Spanner " + what + " failed: " + ex.getErrorCode() + " " + ex.getMessage(), ex,
					timeout1);
		}
		catch (Exception ex) {
			throw new StoreException("Spanner " + what + " failed: " + ex, ex, context.isCancelled());
		}
		finally {
			context.cancel(null);
		}
	}

	static java.time.Instant instant(com.google.cloud.Timestamp timestamp) {
		return java.time.Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
	}

	@Override
	public void close() {
		this.deadlines.shutdownNow();
	}

}
