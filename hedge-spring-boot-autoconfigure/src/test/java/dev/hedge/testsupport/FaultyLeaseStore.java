package dev.hedge.testsupport;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import dev.hedge.common.StoreException;
import dev.hedge.election.AcquireResult;
import dev.hedge.election.LeaseClaim;
import dev.hedge.election.LeaseRecord;
import dev.hedge.election.LeaseStore;

/**
 * A real {@link LeaseStore} behind a switch that makes it unreachable: once {@link #cut()}, every call hangs until
 * its own deadline and then fails as a timeout, like a store behind a dead network link; {@link #heal()} restores it.
 * Not a mock: while healed every call goes to the real store.
 */
public final class FaultyLeaseStore implements LeaseStore {

	private final LeaseStore delegate;

	private final AtomicInteger calls = new AtomicInteger();

	private volatile CountDownLatch cut;

	private final AtomicReference<HeldCall<LeaseRecord>> heldRead = new AtomicReference<>();

	private final AtomicReference<HeldCall<Boolean>> heldRenewal = new AtomicReference<>();

	public FaultyLeaseStore(LeaseStore delegate) {
		this.delegate = delegate;
	}

	/** Makes the store unreachable. */
	public void cut() {
		if (this.cut == null) {
			this.cut = new CountDownLatch(1);
		}
	}

	/** Makes the store reachable again; hanging calls proceed to the real store. */
	public void heal() {
		CountDownLatch current = this.cut;
		this.cut = null;
		if (current != null) {
			current.countDown();
		}
	}

	/**
	 * Holds back the answer of the next read: the read runs against the real store at once, then its answer waits
	 * until {@link HeldCall#letGo()} (at most the call's own timeout), like a reply delayed on the network.
	 * @return the handle of the held read
	 */
	public HeldCall<LeaseRecord> holdNextReadAnswer() {
		HeldCall<LeaseRecord> held = new HeldCall<>();
		this.heldRead.set(held);
		return held;
	}

	/**
	 * Holds the next renewal back before it reaches the store, until {@link HeldCall#letGo()} (at most the call's
	 * own timeout), like a request delayed on the network; then it runs against the real store.
	 * @return the handle of the held renewal
	 */
	public HeldCall<Boolean> holdNextRenewal() {
		HeldCall<Boolean> held = new HeldCall<>();
		this.heldRenewal.set(held);
		return held;
	}

	/**
	 * How many calls were made.
	 * @return the count
	 */
	public int calls() {
		return this.calls.get();
	}

	private void gate(Duration timeout) {
		this.calls.incrementAndGet();
		CountDownLatch current = this.cut;
		if (current == null) {
			return;
		}
		try {
			if (!current.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new StoreException("store unreachable (cut by the test)", null, true);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new StoreException("interrupted", ex, false);
		}
	}

	@Override
	public LeaseRecord read(String lockName, Duration timeout) {
		gate(timeout);
		HeldCall<LeaseRecord> held = this.heldRead.getAndSet(null);
		if (held == null) {
			return this.delegate.read(lockName, timeout);
		}
		LeaseRecord record = held.call(() -> this.delegate.read(lockName, timeout));
		held.hold(timeout);
		return record;
	}

	@Override
	public AcquireResult tryAcquire(String lockName, LeaseClaim claim, Duration timeout) {
		gate(timeout);
		return this.delegate.tryAcquire(lockName, claim, timeout);
	}

	@Override
	public boolean renew(String lockName, String incarnation, long epoch, Duration timeout) {
		gate(timeout);
		HeldCall<Boolean> held = this.heldRenewal.getAndSet(null);
		if (held == null) {
			return this.delegate.renew(lockName, incarnation, epoch, timeout);
		}
		held.hold(timeout);
		return held.call(() -> this.delegate.renew(lockName, incarnation, epoch, timeout));
	}

	@Override
	public boolean release(String lockName, String incarnation, long epoch, Duration timeout) {
		gate(timeout);
		return this.delegate.release(lockName, incarnation, epoch, timeout);
	}

	/**
	 * A call held on its way (see {@link #holdNextReadAnswer()} and {@link #holdNextRenewal()}).
	 * @param <T> what the call returns
	 */
	public static final class HeldCall<T> {

		private final CountDownLatch held = new CountDownLatch(1);

		private final CountDownLatch go = new CountDownLatch(1);

		private final CompletableFuture<T> outcome = new CompletableFuture<>();

		/**
		 * Waits until the call is held.
		 * @param within how long to wait
		 * @return whether it is
		 * @throws InterruptedException if interrupted
		 */
		public boolean awaitHeld(Duration within) throws InterruptedException {
			return this.held.await(within.toMillis(), TimeUnit.MILLISECONDS);
		}

		/** Lets the call go on. */
		public void letGo() {
			this.go.countDown();
		}

		/**
		 * What the store answered, once it did (exceptional if the call failed, e.g. interrupted).
		 * @return the outcome
		 */
		public CompletableFuture<T> outcome() {
			return this.outcome;
		}

		void hold(Duration timeout) {
			this.held.countDown();
			try {
				this.go.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		T call(Supplier<T> store) {
			try {
				T answer = store.get();
				this.outcome.complete(answer);
				return answer;
			}
			catch (RuntimeException ex) {
				this.outcome.completeExceptionally(ex);
				throw ex;
			}
		}

	}

}
