package dev.hedge.chain;

import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

import dev.hedge.common.Ticker;

/**
 * This member's chain identity, the configuration it holds, and its read lease. Configurations are adopted only
 * when newer; a request of another version than the held one is refused ({@link #check(long)}).
 *
 * <p>The read lease is the coordinator's promise that it will not take this member out of the chain without its
 * cooperation before the lease ends: the member serves reads from its own store only while the lease lasts, counted
 * from when it sent the heartbeat that got it, shortened by 1 % for clock-rate error. So a member cut off from the
 * coordinator stops serving before a configuration without it can accept writes.
 *
 * <p>Threading: thread-safe. Adoption holds the write lock of a read/write lock; {@link #underConfig} holds its read
 * lock, so a decision taken under a configuration (committing as the chain's last member) completes before a newer
 * configuration is adopted.
 */
final class ChainView {

	/** The fraction of a lease a member uses (1 % for clock-rate error). */
	static final double LEASE_USE = 0.99;

	private final ChainMember self;

	private final Ticker ticker;

	private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

	private volatile ChainConfig config = ChainConfig.NONE;

	private volatile long leaseUntil;

	private volatile boolean leaseGranted;

	private volatile boolean leaving;

	ChainView(ChainMember self, Ticker ticker) {
		this.self = self;
		this.ticker = ticker;
	}

	ChainMember self() {
		return this.self;
	}

	ChainConfig config() {
		return this.config;
	}

	/**
	 * The held configuration if a request of {@code version} may be served under it.
	 * @throws ChainRefusedException STALE_CONFIG (with the held configuration) or CONFIG_BEHIND
	 */
	ChainConfig check(long version) {
		ChainConfig current = this.config;
		if (version < current.version()) {
			throw new ChainRefusedException(ChainRefusedException.Reason.STALE_CONFIG, "configuration " + version
					+ " is older than " + this.self.id() + "'s " + current.version(), current, 0);
		}
		if (version > current.version()) {
			throw new ChainRefusedException(ChainRefusedException.Reason.CONFIG_BEHIND,
					this.self.id() + " holds configuration " + current.version() + ", older than " + version);
		}
		return current;
	}

	/** Runs a decision under the held configuration: no adoption happens meanwhile. */
	<T> T underConfig(Supplier<T> decision) {
		this.lock.readLock().lock();
		try {
			return decision.get();
		}
		finally {
			this.lock.readLock().unlock();
		}
	}

	/**
	 * Adopts a configuration if it is newer than the held one, running {@code before} first, under the write lock.
	 * @return the previous configuration, or null if {@code next} was not newer
	 */
	ChainConfig adopt(ChainConfig next, java.util.function.Consumer<ChainConfig> before) {
		if (next.version() <= this.config.version()) {
			return null;
		}
		this.lock.writeLock().lock();
		try {
			ChainConfig previous = this.config;
			if (next.version() <= previous.version()) {
				return null;
			}
			before.accept(previous);
			this.config = next;
			if (!next.isServing(this.self)) {
				this.leaseUntil = 0;
				this.leaseGranted = false;
			}
			return previous;
		}
		finally {
			this.lock.writeLock().unlock();
		}
	}

	/**
	 * Records a lease grant.
	 * @param sentNanos when the heartbeat that got it was sent (monotonic)
	 * @param millis the lease granted, 0 for none
	 */
	void grant(long sentNanos, long millis) {
		if (millis <= 0) {
			this.leaseUntil = 0;
			this.leaseGranted = false;
			return;
		}
		long until = sentNanos + (long) (millis * 1_000_000L * LEASE_USE);
		if (!this.leaseGranted || until - this.leaseUntil > 0) {
			this.leaseUntil = until;
			this.leaseGranted = true;
		}
	}

	/** Stops serving for good (the member is leaving the chain). */
	void leave() {
		this.leaving = true;
		this.leaseUntil = 0;
		this.leaseGranted = false;
	}

	boolean isLeaving() {
		return this.leaving;
	}

	/** Whether this member may answer reads from its own store now. */
	boolean serving() {
		return this.leaseGranted && !this.leaving && this.leaseUntil - this.ticker.nanoTime() > 0
				&& this.config.isServing(this.self);
	}

	long leaseRemainingMillis() {
		if (!this.leaseGranted || this.leaving) {
			return 0;
		}
		return Math.max(0, (this.leaseUntil - this.ticker.nanoTime()) / 1_000_000);
	}

	/** This member's role in the held configuration. */
	String role() {
		ChainConfig current = this.config;
		if (this.self.sameAs(current.syncing())) {
			return "syncing";
		}
		if (!current.isServing(this.self)) {
			return "none";
		}
		boolean head = current.head().map(this.self::sameAs).orElse(false);
		boolean tail = current.readTail().map(this.self::sameAs).orElse(false);
		return (head && tail) ? "head-tail" : head ? "head" : tail ? "tail" : "middle";
	}

}
