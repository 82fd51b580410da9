package dev.hedge.store.spanner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.hedge.common.StoreException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link SpannerCalls} with work that ignores its deadline, as the Spanner client's streaming-read resume
 * loop did under connection resets: the caller must get its answer on time, and a hanging database must not grow the
 * worker pool without bound.
 */
class SpannerCallsTests {

	private final SpannerCalls calls = new SpannerCalls();

	private final CountDownLatch hang = new CountDownLatch(1);

	@AfterEach
	void release() {
		this.hang.countDown();
		this.calls.close();
	}

	@Test
	void callerGetsTimeoutOnTimeWhenWorkIgnoresTheDeadline() {
		long start = System.nanoTime();
		assertThatExceptionOfType(StoreException.class)
			.isThrownBy(() -> this.calls.call("read", Duration.ofMillis(200), this::hangUninterruptibly))
			.satisfies((ex) -> assertThat(ex.isTimeout()).isTrue())
			.withMessageContaining("outcome is unknown");
		long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		assertThat(waitedMillis).isBetween(200L, 200L + SpannerCalls.GRACE.toMillis() + 2000L);
	}

	@Test
	void hangingCallsStopAtTheWorkerLimitWithADefiniteFailure() {
		List<CompletableFuture<Void>> callers = new ArrayList<>();
		for (int i = 0; i < SpannerCalls.MAX_WORKERS; i++) {
			callers.add(CompletableFuture.runAsync(() -> {
				try {
					this.calls.call("hang", Duration.ofSeconds(30), this::hangUninterruptibly);
				}
				catch (StoreException ignored) {
					// released at the end of the test
				}
			}));
		}
		await().atMost(Duration.ofSeconds(20))
			.until(() -> Thread.getAllStackTraces()
				.keySet()
				.stream()
				.filter((t) -> t.getName().startsWith("hedge-spanner-call-"))
				.count() >= SpannerCalls.MAX_WORKERS);
		assertThatExceptionOfType(StoreException.class)
			.isThrownBy(() -> this.calls.call("one more", Duration.ofSeconds(5), () -> "never runs"))
			.satisfies((ex) -> assertThat(ex.isTimeout()).isFalse())
			.withMessageContaining("not started")
			.withMessageContaining("busy");
		this.hang.countDown();
		await().atMost(Duration.ofSeconds(20)).until(() -> callers.stream().allMatch(CompletableFuture::isDone));
		assertThat(this.calls.call("after", Duration.ofSeconds(5), () -> "ok")).isEqualTo("ok");
	}

	@Test
	void closedCallsFailDefinitely() {
		this.calls.close();
		assertThatExceptionOfType(StoreException.class)
			.isThrownBy(() -> this.calls.call("late", Duration.ofSeconds(1), () -> "x"))
			.satisfies((ex) -> assertThat(ex.isTimeout()).isFalse())
			.withMessageContaining("closed");
	}

	private String hangUninterruptibly() {
		boolean released = false;
		while (!released) {
			try {
				released = this.hang.await(1, TimeUnit.MINUTES);
			}
			catch (InterruptedException ex) {
				// ignore, like a client that does not honour cancellation
			}
		}
		return "late";
	}

}
