package dev.hedge.bench;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

import dev.hedge.election.AcquireResult;
import dev.hedge.election.LeaseClaim;
import dev.hedge.election.LeaseRecord;
import dev.hedge.election.LeaseStore;

/** Counts the calls a node makes to its real lease store. */
final class CountingLeaseStore implements LeaseStore {

	private final LeaseStore delegate;

	final LongAdder reads = new LongAdder();

	final LongAdder takeovers = new LongAdder();

	final LongAdder renewals = new LongAdder();

	final LongAdder releases = new LongAdder();

	CountingLeaseStore(LeaseStore delegate) {
		this.delegate = delegate;
	}

	void reset() {
		this.reads.reset();
		this.takeovers.reset();
		this.renewals.reset();
		this.releases.reset();
	}

	long total() {
		return this.reads.sum() + this.takeovers.sum() + this.renewals.sum() + this.releases.sum();
	}

	@Override
	public LeaseRecord read(String lockName, Duration timeout) {
		this.reads.increment();
		return this.delegate.read(lockName, timeout);
	}

	@Override
	public AcquireResult tryAcquire(String lockName, LeaseClaim claim, Duration timeout) {
		this.takeovers.increment();
		return this.delegate.tryAcquire(lockName, claim, timeout);
	}

	@Override
	public boolean renew(String lockName, String incarnation, long epoch, Duration timeout) {
		this.renewals.increment();
		return this.delegate.renew(lockName, incarnation, epoch, timeout);
	}

	@Override
	public boolean release(String lockName, String incarnation, long epoch, Duration timeout) {
		this.releases.increment();
		return this.delegate.release(lockName, incarnation, epoch, timeout);
	}

}
