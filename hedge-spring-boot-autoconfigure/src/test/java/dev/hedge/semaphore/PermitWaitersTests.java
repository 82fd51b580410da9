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
		long seenA = waiters.generation("a");
		long seenB = waiters.generation("b");
		CompletableFuture<PermitWaiters.Wake> onA = CompletableFuture.supplyAsync(() -> waiters.awaitFreed("a", seenA,
				10 * SECOND));
		CompletableFuture<PermitWaiters.Wake> onB = CompletableFuture.supplyAsync(() -> waiters.awaitFreed("b", seenB,
				SECOND / 2));
		await().until(() -> waiters.parked() == 2);
		waiters.freed("a");
		assertThat(onA.get(5, TimeUnit.SECONDS)).isEqualTo(PermitWaiters.Wake.FREED);
		assertThat(onB.get(5, TimeUnit.SECONDS)).isEqualTo(PermitWaiters.Wake.TIMED_OUT);
	}

	@Test
	void eachFreedPermitWakesOneWaiterTheLongestWaitingFirst() throws Exception {
		PermitWaiters waiters = new PermitWaiters(8);
		long seen = waiters.generation("a");
		CompletableFuture<PermitWaiters.Wake> first = CompletableFuture.supplyAsync(() -> waiters.awaitFreed("a", seen,
				30 * SECOND));
		await().until(() -> waiters.parked() == 1);
		CompletableFuture<PermitWaiters.Wake> second = CompletableFuture.supplyAsync(() -> waiters.awaitFreed("a",
				seen, 30 * SECOND));
		await().until(() -> waiters.parked() == 2);
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
			long seen = waiters.generation("a");
			held.add(CompletableFuture.supplyAsync(() -> waiters.awaitFreed("a", seen, 30 * SECOND)));
		}
		await().until(() -> waiters.parked() == 2);
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
		long seen = waiters.generation("a");
		CompletableFuture<PermitWaiters.Wake> wait = CompletableFuture.supplyAsync(() -> waiters.awaitFreed("a", seen,
				30 * SECOND));
		await().until(() -> waiters.parked() == 1);
		waiters.wakeAll();
		assertThat(wait.get(5, TimeUnit.SECONDS)).isEqualTo(PermitWaiters.Wake.FREED);
	}

}
