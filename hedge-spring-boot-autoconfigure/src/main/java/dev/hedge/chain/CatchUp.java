package dev.hedge.chain;

import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hedge.common.NamedThreads;

/**
 * The syncing member's copy of its predecessor's committed data: pages of a key-order scan, each installed as one
 * durable batch, while live writes keep arriving as forwards (an install never replaces a newer version, so the two
 * meet in any order). A scan interrupted by a reconfiguration resumes after the last key installed, from the new
 * predecessor; when the last page is in, the member tells the coordinator (by a heartbeat at once), which makes it a
 * serving member. Writes are not stalled by the copy.
 *
 * <p>Threading: one thread, {@code hedge-<group>-chain-catchup}, started when the member first syncs and stopped by
 * {@link #close()}.
 */
final class CatchUp {

	private static final Logger logger = LoggerFactory.getLogger(CatchUp.class);

	private static final long RETRY_MILLIS = 100;

	private final ChainParts parts;

	private final Consumer<ChainConfig> adopt;

	private final Runnable caughtUpSignal;

	private ExecutorService thread;

	private boolean running;

	private boolean closed;

	private volatile boolean caughtUp;

	private String after;

	private long copied;

	private long startedNanos;

	/** Changes with every {@link #reset()}: a page fetched before it does not move the cursor after it. */
	private long session;

	CatchUp(ChainParts parts, Consumer<ChainConfig> adopt, Runnable caughtUpSignal) {
		this.parts = parts;
		this.adopt = adopt;
		this.caughtUpSignal = caughtUpSignal;
	}

	/** Whether this member, syncing, has copied everything. */
	boolean caughtUp() {
		return this.caughtUp;
	}

	/** Forgets a previous copy (the store was emptied). Called under the adoption lock. */
	synchronized void reset() {
		this.session++;
		this.caughtUp = false;
		this.after = null;
		this.copied = 0;
		this.startedNanos = System.nanoTime();
	}

	/** Starts (or lets continue) the copy for the configuration just adopted. */
	synchronized void follow() {
		if (this.running || this.closed || this.caughtUp) {
			return;
		}
		if (this.thread == null) {
			this.thread = Executors.newSingleThreadExecutor(
					NamedThreads.single(NamedThreads.owner(this.parts.group), "chain-catchup"));
		}
		this.running = true;
		try {
			this.thread.execute(this::copy);
		}
		catch (RejectedExecutionException ex) {
			this.running = false;
		}
	}

	private void copy() {
		try {
			while (step()) {
				// next page
			}
		}
		finally {
			synchronized (this) {
				this.running = false;
			}
		}
	}

	/** @return whether to go on */
	private boolean step() {
		ChainMember self = this.parts.self();
		ChainConfig config = this.parts.view.config();
		if (!self.sameAs(config.syncing()) || this.caughtUp || isClosed()) {
			return false;
		}
		String from;
		long mine;
		synchronized (this) {
			from = this.after;
			mine = this.session;
		}
		Optional<ChainMember> predecessor = config.predecessorOf(self);
		if (predecessor.isEmpty()) {
			finish(config, mine);
			return false;
		}
		try {
			ScanPage page = this.parts.client
				.scan(predecessor.get().id(), this.parts.hop().multipliedBy(5), config.version(), from,
						this.parts.options.catchUpPageKeys())
				.get(this.parts.hop().multipliedBy(5).toMillis() + 1000, TimeUnit.MILLISECONDS);
			this.parts.store().installAll(page.entries());
			this.parts.counters.catchUpKeys.add(page.entries().size());
			synchronized (this) {
				if (this.session != mine) {
					return true; // the store was emptied meanwhile: start over
				}
				this.copied += page.entries().size();
				this.after = page.isLast() ? this.after : page.nextAfterKey();
			}
			if (page.isLast()) {
				finish(config, mine);
				return false;
			}
			return true;
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof ChainRefusedException refused && refused.config() != null) {
				this.adopt.accept(refused.config());
			}
			logger.debug("Catch-up page of {} from {} failed: {}", self.id(), predecessor.get().id(),
					ex.getCause().getMessage());
		}
		catch (TimeoutException | RuntimeException ex) {
			logger.debug("Catch-up page of {} from {} failed: {}", self.id(), predecessor.get().id(), ex.toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		try {
			Thread.sleep(RETRY_MILLIS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		return true;
	}

	private void finish(ChainConfig config, long mine) {
		long millis;
		long keys;
		synchronized (this) {
			if (this.session != mine) {
				return;
			}
			this.caughtUp = true;
			millis = (System.nanoTime() - this.startedNanos) / 1_000_000;
			keys = this.copied;
		}
		logger.info("Chain member {} caught up in configuration {}: {} keys copied in {} ms", this.parts.self().id(),
				config.version(), keys, millis);
		this.caughtUpSignal.run();
	}

	private synchronized boolean isClosed() {
		return this.closed;
	}

	synchronized void close() {
		this.closed = true;
		if (this.thread != null) {
			this.thread.shutdownNow();
		}
	}

	/** Waits for the copy thread to end (after {@link #close()}). */
	void awaitClosed() {
		ExecutorService current;
		synchronized (this) {
			current = this.thread;
		}
		if (current == null) {
			return;
		}
		try {
			current.awaitTermination(2, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
