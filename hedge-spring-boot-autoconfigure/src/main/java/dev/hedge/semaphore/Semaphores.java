package dev.hedge.semaphore;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.grpc.BindableService;
import io.grpc.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hedge.common.Durations;
import dev.hedge.common.NamedThreads;
import dev.hedge.common.NotRunningException;
import dev.hedge.common.OperationObserver;
import dev.hedge.election.Leadership;
import dev.hedge.election.LeadershipEvent;
import dev.hedge.election.LeadershipListener;
import dev.hedge.membership.MembershipManager;
import dev.hedge.messaging.LeaderCalls;
import dev.hedge.messaging.MessagingException;
import dev.hedge.messaging.SendOptions;
import dev.hedge.transport.grpc.proto.AcquireRequest;
import dev.hedge.transport.grpc.proto.DefineRequest;
import dev.hedge.transport.grpc.proto.ReleaseRequest;
import dev.hedge.transport.grpc.proto.SemaphoresGrpc;

/**
 * The semaphores of one node: opens {@link HedgeSemaphore}s, whose operations go to the leader through
 * {@link LeaderCalls}; while this node leads, its {@link SemaphoreCoordinator} decides grants and releases (for every
 * member, through {@link SemaphoresService}) and its {@link PermitReclaimer} reclaims the permits of members declared
 * dead. Semaphores belong to this node's group: another group sharing the store never sees them.
 *
 * <p>No permit leaks: an acquire that gives up after an attempt of unknown outcome hands the id to
 * {@link #abandon(String, String)}, which releases it in the background until the leader answers (and the leader
 * refuses or undoes a grant of a released id); permits an earlier process with this member's id left behind are
 * released after start.
 *
 * <p>Threads: {@code hedge-<group>-semaphore-reclaim} runs reclaims and background releases; stopped by
 * {@link #close()}, which drops the tasks not yet due and lets one in flight end by its store deadline (store calls are
 * never interrupted). Thread-safe.
 */
public final class Semaphores implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(Semaphores.class);

	private static final int MAX_NAME_BYTES = 1024;

	private static final int ABANDON_ATTEMPTS = 10;

	private final String group;

	private final String self;

	private final Leadership leadership;

	private final MembershipManager membership;

	private final LeaderCalls calls;

	private final SemaphoreStore store;

	private final Duration storeTimeout;

	private final Duration callTimeout;

	private final ScheduledExecutorService background;

	private final SemaphoreCoordinator coordinator;

	private final PermitReclaimer reclaimer;

	private volatile OperationObserver operationObserver = OperationObserver.NONE;

	private volatile boolean closed;

	/**
	 * Permit ids this process is acquiring or holds. A permit held under this member's id that is not among them was
	 * granted to an earlier process with the same id (restarted on the same address and port before the leader
	 * declared it dead), so nobody will ever release it: this process releases it after start.
	 */
	private final Set<String> requested = ConcurrentHashMap.newKeySet();

	/**
	 * Creates the manager.
	 * @param group the group (semaphores belong to it; thread names)
	 * @param self this node's id
	 * @param leadership the election state
	 * @param membership the member list and this node's holder validity
	 * @param calls leader-bound calls
	 * @param store the semaphore store
	 * @param storeTimeout deadline of store calls
	 * @param callTimeout deadline of one call to the leader
	 * @param observer decision hooks
	 */
	public Semaphores(String group, String self, Leadership leadership, MembershipManager membership, LeaderCalls calls,
			SemaphoreStore store, Duration storeTimeout, Duration callTimeout, SemaphoreObserver observer) {
		this.group = group;
		this.self = self;
		this.leadership = leadership;
		this.membership = membership;
		this.calls = calls;
		this.store = store;
		this.storeTimeout = storeTimeout;
		this.callTimeout = callTimeout;
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
				NamedThreads.single(NamedThreads.owner(group), "semaphore-reclaim"));
		executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
		this.background = executor;
		this.coordinator = new SemaphoreCoordinator(group, self, leadership, membership, store, storeTimeout,
				callTimeout, observer, this::now);
		this.reclaimer = new PermitReclaimer(group, self, leadership, membership, store, storeTimeout, observer,
				this.coordinator, this.background, this::now);
		membership.addListener(this.reclaimer::membershipChanged);
		leadership.addListener(new LeadershipListener() {
			@Override
			public void onGranted(LeadershipEvent event) {
				Semaphores.this.coordinator.becameLeader();
				Semaphores.this.reclaimer.becameLeader();
			}

			@Override
			public void onRevoked(LeadershipEvent event) {
				Semaphores.this.coordinator.stoppedLeading();
				Semaphores.this.reclaimer.stoppedLeading();
			}
		});
		// at once (as soon as a leader is known), and again after a member timeout for a grant that was in flight to
		// the earlier process when it died
		Duration soon = membership.options().heartbeatInterval();
		schedule(() -> releaseEarlierIncarnations(1, soon), soon);
		schedule(() -> releaseEarlierIncarnations(1, membership.options().memberTimeout()),
				membership.options().memberTimeout());
	}

	/**
	 * Opens a semaphore, creating it with {@code limit} if it does not exist.
	 * @param name the name (any string up to 1 KiB of UTF-8)
	 * @param limit the limit (at least 1)
	 * @return the semaphore
	 * @throws SemaphoreLimitMismatchException if it exists with another limit
	 * @throws InvalidSemaphoreException for an empty or too long name, or a limit below 1
	 * @throws MessagingException if the leader could not be reached in time
	 */
	public HedgeSemaphore open(String name, int limit) {
		requireRunning("open");
		validate(name, limit);
		int stored = this.calls.withRetry(new LeaderCalls.Call<>() {
			@Override
			public Integer local(Duration timeout) {
				return Semaphores.this.coordinator.define(name, limit);
			}

			@Override
			public Integer remote(Channel channel, Duration timeout) {
				return SemaphoresGrpc.newBlockingStub(channel)
					.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
					.define(DefineRequest.newBuilder().setName(name).setLimit(limit).build())
					.getLimit();
			}
		}, policy(), this.callTimeout, true);
		if (stored != limit) {
			throw new SemaphoreLimitMismatchException(name, stored, limit);
		}
		return new DistributedSemaphore(this, name, limit);
	}

	/**
	 * Sets the observer told about every completed acquire and release of a permit by this member.
	 * @param observer the observer
	 */
	public void setOperationObserver(OperationObserver observer) {
		this.operationObserver = Objects.requireNonNull(observer);
	}

	OperationObserver operationObserver() {
		return this.operationObserver;
	}

	static void validate(String name) {
		if (name == null || name.isEmpty()) {
			throw new InvalidSemaphoreException("semaphore name must not be empty");
		}
		if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
			throw new InvalidSemaphoreException("semaphore name longer than " + MAX_NAME_BYTES + " bytes");
		}
	}

	static void validate(String name, int limit) {
		validate(name);
		if (limit < 1) {
			throw new InvalidSemaphoreException("semaphore limit must be at least 1 (was " + limit + ")");
		}
	}

	static void validatePermitId(String id) {
		if (id == null || id.isEmpty() || id.length() > 128) {
			throw new InvalidSemaphoreException("permit id must be 1..128 characters");
		}
	}

	SendOptions policy() {
		return SendOptions.untilDeadline(this.callTimeout.multipliedBy(3));
	}

	Duration callTimeout() {
		return this.callTimeout;
	}

	// ---- client side (used by DistributedSemaphore) ----

	/**
	 * One acquire, retried on retryable failures, that gives up within {@code budget} (the default retry policy when
	 * {@code null}): a {@code tryAcquire(timeout)} must not block for the whole default policy. With {@code wait} the
	 * leader may hold the request while the semaphore is full, for at most half of one attempt's deadline and
	 * {@link SemaphoreCoordinator#MAX_WAIT}, and grants a permit freed meanwhile.
	 * @param name the semaphore
	 * @param permitId the permit id (the same for every attempt)
	 * @param budget at most this long, or {@code null}
	 * @param wait whether the leader may hold the request
	 * @param onUnknownOutcome told of every attempt whose outcome is unknown (also when a later one answers)
	 * @return the leader's answer
	 */
	AcquireAnswer acquireOnce(String name, String permitId, Duration budget, boolean wait, Runnable onUnknownOutcome) {
		requireRunning("acquire");
		SendOptions policy = policy();
		Duration perAttempt = this.callTimeout;
		if (budget != null) {
			Duration bounded = budget.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : budget;
			if (bounded.compareTo(policy.deadline()) < 0) {
				policy = SendOptions.untilDeadline(bounded);
			}
			perAttempt = Durations.min(perAttempt, bounded);
		}
		// half of the attempt's deadline stays for the grant transaction and the reply
		Duration held = wait ? Durations.min(perAttempt.dividedBy(2), SemaphoreCoordinator.MAX_WAIT) : Duration.ZERO;
		this.requested.add(permitId);
		return this.calls.withRetry(new LeaderCalls.Call<>() {
			@Override
			public AcquireAnswer local(Duration timeout) {
				return Semaphores.this.coordinator.acquire(name, permitId, Semaphores.this.self, held);
			}

			@Override
			public AcquireAnswer remote(Channel channel, Duration timeout) {
				return SemaphoresService.fromWire(SemaphoresGrpc.newBlockingStub(channel)
					.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
					.acquire(AcquireRequest.newBuilder()
						.setName(name)
						.setPermitId(permitId)
						.setWaitMillis(held.toMillis())
						.build()));
			}
		}, policy, perAttempt, true, onUnknownOutcome);
	}

	Optional<Instant> releaseOnce(String name, String permitId) {
		requireRunning("release");
		Optional<Instant> released = this.calls.withRetry(new LeaderCalls.Call<>() {
			@Override
			public Optional<Instant> local(Duration timeout) {
				return Semaphores.this.coordinator.release(name, permitId, Semaphores.this.self);
			}

			@Override
			public Optional<Instant> remote(Channel channel, Duration timeout) {
				return SemaphoresService.fromWire(SemaphoresGrpc.newBlockingStub(channel)
					.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
					.release(ReleaseRequest.newBuilder().setName(name).setPermitId(permitId).build()));
			}
		}, policy(), this.callTimeout, true);
		forget(permitId);
		return released;
	}

	/**
	 * Gives up on a permit id whose grant may have happened (an attempt of unknown outcome): it is released in the
	 * background, retried until the leader answers (at most {@value #ABANDON_ATTEMPTS} times, a heartbeat interval
	 * apart), and the leader refuses or undoes any later grant of it. Returns at once.
	 * @param name the semaphore
	 * @param permitId the id
	 */
	void abandon(String name, String permitId) {
		execute(() -> abandon(name, permitId, 1));
	}

	private void abandon(String name, String permitId, int attempt) {
		try {
			releaseOnce(name, permitId);
		}
		catch (RuntimeException ex) {
			if (attempt < ABANDON_ATTEMPTS) {
				schedule(() -> abandon(name, permitId, attempt + 1), this.membership.options().heartbeatInterval());
			}
			else {
				// the leader reclaims it when this member dies, or a restart of this member releases it
				logger.warn("{} could not release abandoned permit {} of '{}': {}", this.self, permitId, name,
						ex.toString());
			}
		}
	}

	void forget(String permitId) {
		this.requested.remove(permitId);
	}

	List<SemaphoreStore.PermitRecord> holders(String name) {
		return this.store.permits(this.group, name, this.storeTimeout);
	}

	long session() {
		return this.membership.session();
	}

	long validUntil(long session) {
		return this.membership.validUntilNanos(session);
	}

	long now() {
		return this.membership.ticker().nanoTime();
	}

	/**
	 * How many released permit ids the leader side remembers (a grant of one is refused or undone).
	 * @return the count
	 */
	int rememberedReleases() {
		return this.coordinator.remembered();
	}

	/**
	 * Releases the permits an earlier process with this member's id left behind (a process killed while holding a
	 * permit and restarted on the same address within the member timeout: the holder id stays alive, so the leader
	 * never reclaims them). Runs a heartbeat after start and again a member timeout after start, each retried a few
	 * times while it fails (no leader yet, store errors).
	 * @param attempt the attempt (from 1)
	 * @param retryEvery the delay before the next attempt
	 */
	private void releaseEarlierIncarnations(int attempt, Duration retryEvery) {
		boolean failed = false;
		try {
			for (SemaphoreStore.PermitRecord permit : this.store.permitsOf(this.group, this.self, this.storeTimeout)) {
				if (this.requested.contains(permit.permitId())) {
					continue;
				}
				try {
					Optional<Instant> released = releaseOnce(permit.semaphore(), permit.permitId());
					logger.info("{} released permit {} of '{}' left by an earlier process with the same id: {}",
							this.self, permit.permitId(), permit.semaphore(),
							released.isPresent() ? "released" : "already gone");
				}
				catch (RuntimeException ex) {
					failed = true;
				}
			}
		}
		catch (RuntimeException ex) {
			failed = true;
		}
		if (failed && attempt < 5) {
			schedule(() -> releaseEarlierIncarnations(attempt + 1, retryEvery), retryEvery);
		}
	}

	private void execute(Runnable task) {
		try {
			this.background.execute(task);
		}
		catch (RejectedExecutionException ex) {
			// closed
		}
	}

	private void schedule(Runnable task, Duration delay) {
		try {
			this.background.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// closed
		}
	}

	/**
	 * The gRPC service to serve on this node's server.
	 * @return the service
	 */
	public BindableService service() {
		return new SemaphoresService(this.self, this.leadership, this.coordinator);
	}

	private void requireRunning(String operation) {
		if (this.closed) {
			throw new NotRunningException("semaphore " + operation + " on " + this.self + ": this hedge node is closed");
		}
	}

	@Override
	public void close() {
		this.closed = true;
		this.coordinator.close();
		this.background.shutdown();
	}

}
