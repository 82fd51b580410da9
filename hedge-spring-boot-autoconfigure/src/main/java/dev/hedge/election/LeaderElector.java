package dev.hedge.election;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hedge.common.Durations;
import dev.hedge.common.Failpoints;
import dev.hedge.common.NamedThreads;
import dev.hedge.common.Ticker;
import dev.hedge.election.ElectionObserver.RenewalOutcome;
import dev.hedge.election.LeadershipEvent.RevokeReason;

/**
 * Elects one leader per lock name over a {@link LeaseStore}, by the rules of reliability-plan.md §2.1:
 * <ul>
 * <li>followers read the lease row every P and take over only inside one store transaction that judges expiry by
 * the database clock and increments the epoch;</li>
 * <li>the leader renews every R with a renewal conditional on its incarnation and epoch, and trusts itself only until
 * {@code t_sent + L·(1−ρ) − M} on its monotonic {@link Ticker}, {@code t_sent} taken before sending the last renewal
 * that committed; a timer steps it down at that deadline even while a renewal still hangs;</li>
 * <li>{@link #close()} revokes first (listeners stop leader-only work), then releases the lease conditionally so a
 * follower takes over at its next poll, or at once after {@link #pollNow()};</li>
 * <li>every store call has a deadline; nothing here reads a wall clock.</li>
 * </ul>
 *
 * <p>Threads: {@code hedge-<group>-election} runs the state machine (all mutable state is confined to it);
 * store calls run on {@code hedge-<group>-election-io-n}; listeners run on {@code hedge-<group>-leadership-events}.
 * All three stop in {@link #close()} (a store call still in flight is not interrupted: it ends by its own deadline,
 * then its thread). Readers ({@link #isLeader()} etc.) read one volatile snapshot.
 */
public final class LeaderElector implements Leadership, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(LeaderElector.class);

	private final String lockName;

	private final String nodeId;

	private final String incarnation = UUID.randomUUID().toString();

	private final LeaseStore store;

	private final ElectionOptions options;

	private final Ticker ticker;

	private final ElectionObserver observer;

	private final LeaseClaim claim;

	private final ScheduledExecutorService loop;

	private final ExecutorService io;

	private final ExecutorService events;

	private final List<LeadershipListener> listeners = new CopyOnWriteArrayList<>();

	private final AtomicReference<Lifecycle> lifecycle = new AtomicReference<>(Lifecycle.NEW);

	private volatile View view = new View(false, null, 0, 0);

	/** The (leader, epoch) last announced to listeners; election thread only. */
	private String announcedLeader;

	private long announcedEpoch;

	// ---- state below is confined to the election thread ----

	private boolean leading;

	private long epoch;

	private long deadline;

	private long lastRenewSent;

	private CompletableFuture<?> inFlight;

	private ScheduledFuture<?> nextTick;

	private ScheduledFuture<?> deadlineTimer;

	private long acquireNotBefore;

	// a poll was asked for while a store call was in flight: the next poll starts when that call ends, not a poll
	// interval later (a read that began before the leader's release committed would otherwise delay the takeover)
	private boolean pollAsked;

	/**
	 * Creates an elector; nothing runs until {@link #start()}.
	 * @param lockName the lock (the group name)
	 * @param nodeId this node's id
	 * @param store the lease store
	 * @param options the timings
	 * @param ticker the monotonic clock leadership is judged by
	 * @param observer metrics and test hooks
	 */
	public LeaderElector(String lockName, String nodeId, LeaseStore store, ElectionOptions options, Ticker ticker,
			ElectionObserver observer) {
		this.lockName = Objects.requireNonNull(lockName, "lockName");
		this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
		this.store = Objects.requireNonNull(store, "store");
		this.options = Objects.requireNonNull(options, "options");
		this.ticker = Objects.requireNonNull(ticker, "ticker");
		this.observer = Objects.requireNonNull(observer, "observer");
		this.claim = new LeaseClaim(nodeId, this.incarnation, options.leaseDuration().toMillis(),
				options.grace().toMillis());
		String owner = threadOwner(lockName);
		this.loop = Executors.newSingleThreadScheduledExecutor(NamedThreads.single(owner, "election"));
		this.io = Executors.newCachedThreadPool(NamedThreads.pool(owner, "election-io"));
		this.events = Executors.newSingleThreadExecutor(NamedThreads.single(owner, "leadership-events"));
	}

	/**
	 * Creates an elector with the system clock and no observer.
	 * @param lockName the lock
	 * @param nodeId this node's id
	 * @param store the lease store
	 * @param options the timings
	 */
	public LeaderElector(String lockName, String nodeId, LeaseStore store, ElectionOptions options) {
		this(lockName, nodeId, store, options, Ticker.system(), ElectionObserver.NONE);
	}

	private static String threadOwner(String lockName) {
		String clean = NamedThreads.owner(lockName);
		return clean.length() > 40 ? clean.substring(0, 40) : clean;
	}

	/**
	 * Starts competing for the lease: the first poll runs at once.
	 * @throws IllegalStateException if already started or closed
	 */
	public void start() {
		if (!this.lifecycle.compareAndSet(Lifecycle.NEW, Lifecycle.RUNNING)) {
			throw new IllegalStateException("elector " + this.nodeId + " already " + this.lifecycle.get());
		}
		logger.info("Node {} joins the election for '{}' with {}", this.nodeId, this.lockName, this.options);
		this.loop.execute(this::pollTick);
	}

	// ---- readers (any thread) ----

	@Override
	public String nodeId() {
		return this.nodeId;
	}

	/**
	 * This process's incarnation (random per elector).
	 * @return the incarnation
	 */
	public String incarnation() {
		return this.incarnation;
	}

	/**
	 * The timings in use.
	 * @return the options
	 */
	public ElectionOptions options() {
		return this.options;
	}

	/**
	 * The lock name (the group).
	 * @return the lock name
	 */
	public String lockName() {
		return this.lockName;
	}

	@Override
	public boolean isLeader() {
		View current = this.view;
		return current.leading && (this.ticker.nanoTime() - current.deadline < 0
				|| Failpoints.enabled(Failpoints.IGNORE_DEADLINE));
	}

	@Override
	public Optional<String> leaderId() {
		View current = this.view;
		if (current.leading) {
			return isLeader() ? Optional.of(this.nodeId) : Optional.empty();
		}
		return Optional.ofNullable(current.leaderId);
	}

	@Override
	public long epoch() {
		return this.view.epoch;
	}

	@Override
	public Optional<Duration> leaseRemaining() {
		View current = this.view;
		long remaining = current.deadline - this.ticker.nanoTime();
		return (current.leading && remaining > 0) ? Optional.of(Duration.ofNanos(remaining)) : Optional.empty();
	}

	@Override
	public Optional<Fence> fence() {
		View current = this.view;
		boolean leading = current.leading && (this.ticker.nanoTime() - current.deadline < 0
				|| Failpoints.enabled(Failpoints.IGNORE_DEADLINE));
		return leading ? Optional.of(new Fence(this.lockName, current.epoch, this.incarnation)) : Optional.empty();
	}

	@Override
	public void addListener(LeadershipListener listener) {
		this.listeners.add(Objects.requireNonNull(listener, "listener"));
	}

	@Override
	public void removeListener(LeadershipListener listener) {
		this.listeners.remove(listener);
	}

	// ---- commands (any thread) ----

	/**
	 * Asks for a poll now instead of at the next tick, e.g. because the leader announced it released the lease.
	 * Ignored while leading; while a store call is in flight the poll starts as soon as that call ends (a read that
	 * began before the release committed cannot have seen it).
	 */
	public void pollNow() {
		onLoop(() -> {
			if (this.leading || this.lifecycle.get() != Lifecycle.RUNNING) {
				return;
			}
			if (this.inFlight != null) {
				this.pollAsked = true;
				return;
			}
			cancel(this.nextTick);
			pollTick();
		});
	}

	/**
	 * Gives leadership up if this node leads: revokes (waiting up to the store timeout for listeners to finish
	 * leader-only work), releases the lease, and stays out of the next takeover for one lease so another node wins (it
	 * competes again afterwards, so a lone node takes it back).
	 * @return a future completing when the release finished (or at once when not leading)
	 */
	public CompletableFuture<Boolean> yieldLeadership() {
		CompletableFuture<Boolean> result = new CompletableFuture<>();
		onLoop(() -> {
			if (!this.leading) {
				result.complete(false);
				return;
			}
			long ended = this.epoch;
			stepDown(RevokeReason.YIELDED);
			// leader-only work stops before anyone else can take over (as on close)
			awaitListeners();
			this.acquireNotBefore = this.ticker.nanoTime() + this.options.leaseDuration().toNanos();
			call(() -> this.store.release(this.lockName, this.incarnation, ended, this.options.storeTimeout()),
					this.options.storeTimeout(), (released, error) -> {
						result.complete(error == null && released);
						schedule(this::pollTick, this.options.pollInterval());
					});
		});
		return result;
	}

	/**
	 * Stops: if leading, revokes (waiting up to the store timeout for listeners to finish leader-only work), then
	 * releases the lease conditionally; then stops every thread. Idempotent.
	 */
	@Override
	public void close() {
		Lifecycle previous = this.lifecycle.getAndSet(Lifecycle.CLOSED);
		if (previous == Lifecycle.CLOSED) {
			return;
		}
		if (previous == Lifecycle.RUNNING) {
			CompletableFuture<Void> done = new CompletableFuture<>();
			try {
				this.loop.execute(() -> closeOnLoop(done));
				done.get(this.options.storeTimeout().toMillis() * 3 + 1000, TimeUnit.MILLISECONDS);
			}
			catch (RejectedExecutionException | ExecutionException | TimeoutException ex) {
				logger.warn("Node {} could not close the election for '{}' cleanly", this.nodeId, this.lockName, ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		this.loop.shutdownNow();
		// not shutdownNow: interrupting a store call can harm the store (a Spanner transaction cancelled between its
		// statement and its commit stays open, and the single-transaction emulator aborts every other until it ends;
		// H2 closes a file channel an interrupted thread touches); a renewal still in flight ends by its own deadline
		this.io.shutdown();
		this.events.shutdown();
		try {
			if (!this.events.awaitTermination(this.options.storeTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
				this.events.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.events.shutdownNow();
		}
		logger.info("Node {} left the election for '{}'", this.nodeId, this.lockName);
	}

	/**
	 * Stops at once, as if the process had died: no revoke is delivered, the lease is not released (followers take
	 * over after L + G), and {@link #isLeader()} answers {@code false} from now on. For fault injection.
	 */
	public void halt() {
		this.lifecycle.set(Lifecycle.CLOSED);
		this.view = new View(false, null, this.view.epoch, 0);
		this.loop.shutdownNow();
		this.io.shutdownNow();
		this.events.shutdownNow();
		logger.info("Node {} halted (no release)", this.nodeId);
	}

	private void closeOnLoop(CompletableFuture<Void> done) {
		cancel(this.nextTick);
		cancel(this.deadlineTimer);
		if (!this.leading) {
			awaitInFlight();
			done.complete(null);
			return;
		}
		// a renewal in flight does not delay the hand-over: the release clears the holder's incarnation, so the
		// renewal matches no row if it commits after the release, and is undone by it if it commits before
		long ended = this.epoch;
		stepDown(RevokeReason.CLOSED);
		awaitListeners();
		try {
			boolean released = this.io
				.submit(() -> this.store.release(this.lockName, this.incarnation, ended, this.options.storeTimeout()))
				.get(this.options.storeTimeout().toMillis() + 500, TimeUnit.MILLISECONDS);
			logger.info("Node {} released '{}' (epoch {}): {}", this.nodeId, this.lockName, ended,
					released ? "released" : "already lost");
		}
		catch (ExecutionException | TimeoutException | RejectedExecutionException ex) {
			logger.warn("Node {} could not release '{}' (epoch {}); followers take over after the lease: {}",
					this.nodeId, this.lockName, ended, String.valueOf((ex.getCause() != null) ? ex.getCause() : ex));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		done.complete(null);
	}

	private void awaitInFlight() {
		CompletableFuture<?> pending = this.inFlight;
		if (pending == null) {
			return;
		}
		Object outcome;
		try {
			outcome = pending.get(this.options.storeTimeout().toMillis() + 500, TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			return;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return;
		}
		// its completion handler is queued behind this task and never runs: a takeover won meanwhile is given back
		if (outcome instanceof AcquireResult result && result.acquired()) {
			releaseQuietly(result.record().epoch());
		}
	}

	private void awaitListeners() {
		try {
			this.events.submit(() -> {
			}).get(this.options.storeTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException | TimeoutException | RejectedExecutionException ex) {
			logger.warn("Leadership listeners of {} did not finish within {}", this.nodeId, this.options.storeTimeout());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	// ---- the state machine (election thread only) ----

	private void pollTick() {
		if (this.lifecycle.get() != Lifecycle.RUNNING || this.leading) {
			return;
		}
		if (this.inFlight != null) {
			schedule(this::pollTick, jittered(this.options.pollInterval()));
			return;
		}
		// this read starts after any release announced so far, so it sees that release
		this.pollAsked = false;
		call(() -> this.store.read(this.lockName, this.options.storeTimeout()), this.options.storeTimeout(),
				(record, error) -> {
					if (error != null) {
						logger.debug("Node {} could not read the lease of '{}'", this.nodeId, this.lockName, error);
						scheduleNextPoll();
						return;
					}
					observe(record);
					long barred = this.acquireNotBefore - this.ticker.nanoTime();
					if (!record.claimableBy(this.claim)) {
						// poll again when the lease the read saw would lapse: a dead leader's lease is taken over
						// when it expires, not up to a poll interval later (failover L+G plus the takeover's own
						// latency instead of L+G+P); a live leader renews before then and the polls stay P apart
						scheduleNextPoll(Duration.ofMillis(record.millisUntilExpired(this.claim.graceMillis())));
					}
					else if (barred > 0) {
						scheduleNextPoll(Duration.ofNanos(barred));
					}
					else {
						acquire();
					}
				});
	}

	private void scheduleNextPoll() {
		scheduleNextPoll(this.options.pollInterval());
	}

	/** The next poll in a poll interval, sooner if {@code soonest} is shorter or a poll was asked for meanwhile. */
	private void scheduleNextPoll(Duration soonest) {
		Duration next = this.pollAsked ? Duration.ZERO
				: Durations.min(jittered(this.options.pollInterval()), soonest);
		schedule(this::pollTick, next);
	}

	private void acquire() {
		long sent = this.ticker.nanoTime();
		call(() -> this.store.tryAcquire(this.lockName, this.claim, this.options.storeTimeout()),
				this.options.storeTimeout(), (result, error) -> {
					long latency = this.ticker.nanoTime() - sent;
					this.observer.takeover(error == null && result.acquired(), (error != null) ? null : result.record(),
							latency);
					if (error == null && result.acquired()) {
						this.observer.acquired(result.record().epoch(), result.committedAt());
					}
					if (error != null) {
						logger.debug("Node {} could not try to take '{}'", this.nodeId, this.lockName, error);
						scheduleNextPoll();
						return;
					}
					if (!result.acquired()) {
						observe(result.record());
						scheduleNextPoll();
						return;
					}
					if (this.lifecycle.get() != Lifecycle.RUNNING) {
						releaseQuietly(result.record().epoch());
						return;
					}
					becomeLeader(result.record().epoch(), sent);
				});
	}

	private void becomeLeader(long newEpoch, long sent) {
		if (this.ticker.nanoTime() - (sent + this.options.validity().toNanos()) >= 0) {
			logger.warn("Node {} won '{}' (epoch {}) too late to trust it; it takes a new epoch at the next poll",
					this.nodeId, this.lockName, newEpoch);
			schedule(this::pollTick, Duration.ZERO);
			return;
		}
		this.leading = true;
		this.epoch = newEpoch;
		this.deadline = sent + this.options.validity().toNanos();
		this.lastRenewSent = sent;
		long began = this.ticker.nanoTime();
		this.observer.deadline(newEpoch, this.deadline);
		this.view = new View(true, this.nodeId, newEpoch, this.deadline);
		logger.info("Node {} leads '{}' in epoch {}", this.nodeId, this.lockName, newEpoch);
		fire(new LeadershipEvent(this.nodeId, newEpoch, true, null, began));
		announceLeader(this.nodeId, newEpoch);
		armDeadline();
		scheduleRenew();
	}

	private void scheduleRenew() {
		long next = this.lastRenewSent + this.options.renewInterval().toNanos() - this.ticker.nanoTime();
		schedule(this::renewTick, Duration.ofNanos(Math.max(0, next)));
	}

	private void renewTick() {
		if (!this.leading || this.lifecycle.get() != Lifecycle.RUNNING) {
			return;
		}
		if (this.inFlight != null) {
			schedule(this::renewTick, this.options.renewInterval().dividedBy(4));
			return;
		}
		long renewing = this.epoch;
		long sent = this.ticker.nanoTime();
		Duration timeout = Durations.min(this.options.storeTimeout(), this.options.leaseDuration());
		call(() -> this.store.renew(this.lockName, this.incarnation, renewing, timeout), timeout, (renewed, error) -> {
			long latency = this.ticker.nanoTime() - sent;
			boolean late = !this.leading || this.epoch != renewing;
			if (error != null) {
				this.observer.renewal(renewing, RenewalOutcome.FAILED, latency, late);
				if (!late) {
					logger.warn("Node {} could not renew '{}' (epoch {}): {}", this.nodeId, this.lockName, renewing,
							error.toString());
					schedule(this::renewTick, this.options.renewInterval().dividedBy(2));
				}
				return;
			}
			this.observer.renewal(renewing, renewed ? RenewalOutcome.RENEWED : RenewalOutcome.LOST, latency, late);
			if (late) {
				logger.info("Node {}: a renewal of '{}' for the ended epoch {} completed late and changed {} row(s)",
						this.nodeId, this.lockName, renewing, renewed ? 1 : 0);
				return;
			}
			if (!renewed) {
				stepDown(RevokeReason.LOST);
				return;
			}
			long proven = sent + this.options.validity().toNanos();
			if (proven - this.deadline > 0) {
				this.observer.deadline(this.epoch, proven);
				this.deadline = proven;
				this.view = new View(true, this.nodeId, this.epoch, proven);
				armDeadline();
			}
			this.lastRenewSent = sent;
			scheduleRenew();
		});
	}

	private void armDeadline() {
		cancel(this.deadlineTimer);
		long delay = this.deadline - this.ticker.nanoTime();
		this.deadlineTimer = this.loop.schedule(this::deadlineCheck, Math.max(0, delay), TimeUnit.NANOSECONDS);
	}

	private void deadlineCheck() {
		if (!this.leading || Failpoints.enabled(Failpoints.IGNORE_DEADLINE)) {
			return;
		}
		if (this.ticker.nanoTime() - this.deadline >= 0) {
			logger.warn("Node {} steps down from '{}' (epoch {}): no renewal committed before its deadline", this.nodeId,
					this.lockName, this.epoch);
			stepDown(RevokeReason.DEADLINE);
		}
		else {
			armDeadline();
		}
	}

	private void stepDown(RevokeReason reason) {
		long ended = this.epoch;
		this.leading = false;
		this.view = new View(false, null, ended, 0);
		long now = this.ticker.nanoTime();
		long endedAt = (now - this.deadline > 0 && !Failpoints.enabled(Failpoints.IGNORE_DEADLINE)) ? this.deadline : now;
		cancel(this.deadlineTimer);
		cancel(this.nextTick);
		if (reason != RevokeReason.DEADLINE) {
			logger.info("Node {} no longer leads '{}' (epoch {}): {}", this.nodeId, this.lockName, ended, reason);
		}
		fire(new LeadershipEvent(this.nodeId, ended, false, reason, endedAt));
		announceLeader(null, ended);
		if (reason != RevokeReason.CLOSED && reason != RevokeReason.YIELDED) {
			schedule(this::pollTick, Duration.ZERO);
		}
	}

	private void observe(LeaseRecord record) {
		boolean live = record.held() && !record.expired(this.options.grace().toMillis())
				&& !this.incarnation.equals(record.incarnation());
		this.view = new View(false, live ? record.holder() : null, record.epoch(), 0);
		announceLeader(live ? record.holder() : null, record.epoch());
	}

	private void releaseQuietly(long ended) {
		try {
			this.store.release(this.lockName, this.incarnation, ended, this.options.storeTimeout());
		}
		catch (RuntimeException ex) {
			logger.debug("Release of '{}' epoch {} failed", this.lockName, ended, ex);
		}
	}

	private void fire(LeadershipEvent event) {
		deliver(event, (listener) -> {
			if (event.granted()) {
				listener.onGranted(event);
			}
			else {
				listener.onRevoked(event);
			}
		});
	}

	/** Tells the listeners when the (leader, epoch) this member knows of differs from what it last told them. */
	private void announceLeader(String leader, long term) {
		if (Objects.equals(leader, this.announcedLeader) && term == this.announcedEpoch) {
			return;
		}
		this.announcedLeader = leader;
		this.announcedEpoch = term;
		LeaderChange change = new LeaderChange(this.nodeId, leader, term);
		deliver(change, (listener) -> listener.onLeaderChanged(change));
	}

	private void deliver(Object event, Consumer<LeadershipListener> call) {
		try {
			this.events.execute(() -> {
				for (LeadershipListener listener : this.listeners) {
					try {
						call.accept(listener);
					}
					catch (RuntimeException ex) {
						logger.error("Leadership listener {} failed on {}", listener, event, ex);
					}
				}
			});
		}
		catch (RejectedExecutionException ex) {
			logger.debug("Leadership event {} dropped after close", event);
		}
	}

	// ---- plumbing ----

	private <T> void call(Callable<T> work, Duration timeout, BiConsumer<T, Throwable> onLoop) {
		CompletableFuture<T> future = new CompletableFuture<>();
		try {
			this.io.execute(() -> {
				try {
					future.complete(work.call());
				}
				catch (Throwable ex) {
					future.completeExceptionally(ex);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			return;
		}
		this.inFlight = future;
		// the store enforces the deadline itself; this guard only stops the loop from waiting for a call that
		// ignores it (its late outcome is then lost, never misapplied)
		future.orTimeout(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS).whenComplete((value, error) -> onLoop(() -> {
			if (this.inFlight == future) {
				this.inFlight = null;
			}
			onLoop.accept(value, unwrap(error));
		}));
	}

	private static Throwable unwrap(Throwable error) {
		if (error instanceof java.util.concurrent.CompletionException && error.getCause() != null) {
			return error.getCause();
		}
		return error;
	}

	private void onLoop(Runnable task) {
		try {
			this.loop.execute(() -> {
				try {
					task.run();
				}
				catch (RuntimeException ex) {
					logger.error("Election step failed on {}", this.nodeId, ex);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			// closed
		}
	}

	private void schedule(Runnable task, Duration delay) {
		cancel(this.nextTick);
		if (this.lifecycle.get() != Lifecycle.RUNNING) {
			return;
		}
		try {
			this.nextTick = this.loop.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// closed
		}
	}

	private static void cancel(ScheduledFuture<?> future) {
		if (future != null) {
			future.cancel(false);
		}
	}

	private static Duration jittered(Duration base) {
		double factor = 0.9 + ThreadLocalRandom.current().nextDouble() * 0.2;
		return Duration.ofNanos((long) (base.toNanos() * factor));
	}

	private enum Lifecycle {

		NEW, RUNNING, CLOSED

	}

	private record View(boolean leading, String leaderId, long epoch, long deadline) {

	}

}
