package dev.hedge.testsupport;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
		return this.delegate.read(lockName, timeout);
	}

	@Override
	public AcquireResult tryAcquire(String lockName, LeaseClaim claim, Duration timeout) {
		gate(timeout);
		return this.delegate.tryAcquire(lockName, claim, timeout);
	}

	@Override
	public boolean renew(String lockName, String incarnation, long epoch, Duration timeout) {
		gate(timeout);
		return this.delegate.renew(lockName, incarnation, epoch, timeout);
	}

	@Override
	public boolean release(String lockName, String incarnation, long epoch, Duration timeout) {
		gate(timeout);
		return this.delegate.release(lockName, incarnation, epoch, timeout);
	}

}
