package dev.hedge.semaphore;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link PermitWaiters}: a freed permit wakes one request waiting for its semaphore (the longest waiting), a permit
 * freed between the refused attempt and the wait is not missed, waits are bounded, and the cap and close refuse
 * waits.
 */
class PermitWaitersTests {

	private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

	@Test
	void aFreedPermitWakesTheWaitersOfItsSemaphoreOnly() throws Exception {
		PermitWaiters waiters = new PermitWaiters(8);
		CompletableFuture<PermitWaiters.Wake> onA = park(waiters, "a", 10 * SECOND);
		CompletableFuture<PermitWaiters.Wake> onB = park(waiters, "b", SECOND / 2);
		waiters.freed("a");
		assertThat(onA.get(5, TimeUnit.SECONDS)).isEqualTo(PermitWaiters.Wake.FREED);
		assertThat(onB.get(5, TimeUnit.SECONDS)).isEqualTo(PermitWaiters.Wake.TIMED_OUT);
	}

	@Test
	void eachFreedPermitWakesOneWaiterTheLongestWaitingFirst() throws Exception {
		PermitWaiters waiters = new PermitWaiters(8);
		CompletableFuture<PermitWaiters.Wake> first = park(waiters, "a", 30 * SECOND);
		CompletableFuture<PermitWaiters.Wake> second = park(waiters, "a", 30 * SECOND);
		waiters.freed("a");
		assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(PermitWaiters.Wake.FREED);
		Thread.sleep(200);
		assertThat(second).as("one permit wakes one waiter").isNotDone();
		waiters.freed("a");
		assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo(PermitWaiters.Wake.FREED);
	}

	@Test
	void aPermitFreedBeforeTheWaitBeganIsNotMissed() {
		PermitWaiters waiters = new PermitWaiters(8);
		long seen = waiters.generation("a");
		waiters.freed("a");
		long start = System.nanoTime();
		assertThat(waiters.awaitFreed("a", seen, 10 * SECOND)).isEqualTo(PermitWaiters.Wake.FREED);
		assertThat(System.nanoTime() - start).isLessThan(SECOND);
	}

	@Test
	void aWaitEndsByItsTimeout() {
		PermitWaiters waiters = new PermitWaiters(8);
		long start = System.nanoTime();
		assertThat(waiters.awaitFreed("a", waiters.generation("a"), SECOND / 5))
			.isEqualTo(PermitWaiters.Wake.TIMED_OUT);
		assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(SECOND / 5);
		assertThat(waiters.awaitFreed("a", waiters.generation("a"), 0)).isEqualTo(PermitWaiters.Wake.REFUSED);
	}

	@Test
	void beyondTheCapARequestIsNotHeldAndCloseReleasesEveryWaiter() throws Exception {
		PermitWaiters waiters = new PermitWaiters(2);
		List<CompletableFuture<PermitWaiters.Wake>> held = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			held.add(park(waiters, "a", 30 * SECOND));
		}
		assertThat(waiters.awaitFreed("a", waiters.generation("a"), 30 * SECOND)).isEqualTo(PermitWaiters.Wake.REFUSED);
		waiters.close();
		for (CompletableFuture<PermitWaiters.Wake> wait : held) {
			assertThat(wait.get(5, TimeUnit.SECONDS)).isEqualTo(PermitWaiters.Wake.REFUSED);
		}
		assertThat(waiters.awaitFreed("a", waiters.generation("a"), SECOND)).isEqualTo(PermitWaiters.Wake.REFUSED);
	}

	@Test
	void wakeAllWakesEveryWaiterToTryAgain() throws Exception {
		PermitWaiters waiters = new PermitWaiters(8);
		CompletableFuture<PermitWaiters.Wake> wait = park(waiters, "a", 30 * SECOND);
		waiters.wakeAll();
		assertThat(wait.get(5, TimeUnit.SECONDS)).isEqualTo(PermitWaiters.Wake.FREED);
	}

	/** Starts a wait on another thread and returns once it is queued. */
	private static CompletableFuture<PermitWaiters.Wake> park(PermitWaiters waiters, String name, long nanos) {
		long seen = waiters.generation(name);
		int before = waiters.parked();
		CompletableFuture<PermitWaiters.Wake> wait = CompletableFuture
			.supplyAsync(() -> waiters.awaitFreed(name, seen, nanos));
		await().until(() -> waiters.parked() == before + 1);
		return wait;
	}

}
