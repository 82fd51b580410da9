package dev.hedge.semaphore;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.grpc.BindableService;
import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hedge.common.Durations;
import dev.hedge.common.NamedThreads;
import dev.hedge.common.OperationObserver;
import dev.hedge.election.Fence;
import dev.hedge.election.FencedException;
import dev.hedge.election.Leadership;
import dev.hedge.election.LeadershipEvent;
import dev.hedge.election.LeadershipListener;
import dev.hedge.membership.MembershipChange;
import dev.hedge.membership.MembershipManager;
import dev.hedge.messaging.LeaderCalls;
import dev.hedge.messaging.MessagingException;
import dev.hedge.messaging.NotLeaderException;
import dev.hedge.messaging.SendOptions;
import dev.hedge.transport.grpc.Failure;
import dev.hedge.transport.grpc.HedgeHeaders;
import dev.hedge.transport.grpc.proto.AcquireReply;
import dev.hedge.transport.grpc.proto.AcquireRequest;
import dev.hedge.transport.grpc.proto.DefineReply;
import dev.hedge.transport.grpc.proto.DefineRequest;
import dev.hedge.transport.grpc.proto.ReleaseReply;
import dev.hedge.transport.grpc.proto.ReleaseRequest;
import dev.hedge.transport.grpc.proto.SemaphoresGrpc;

/**
 * Semaphores of one node: opens {@link HedgeSemaphore}s (every operation goes to the leader through
 * {@link LeaderCalls}), and, while this node leads, decides grants and releases and reclaims the permits of members
 * declared dead. Serves {@code hedge.v1.Semaphores}.
 *
 * <p>Safety: a grant is decided in one store transaction that checks the leader's fence and the count against the
 * limit; a member may hold a permit only while it is in the leader's member list (grants to non-members are refused),
 * and the leader reclaims a member's permits only after membership declared it dead — which the holder's
 * {@link Permit#isValid()} anticipates. A new leader reclaims permits of holders it does not know only after it has
 * led for one member timeout (so members that were alive had time to heartbeat it).
 *
 * <p>Threads: {@code hedge-<group>-semaphore-reclaim} runs reclaims; stopped by {@link #close()}, which drops the
 * reclaims not yet due and lets one in flight end by its store deadline (store calls are never interrupted).
 */
public final class Semaphores implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(Semaphores.class);

	private static final int MAX_NAME_BYTES = 1024;

	/** The longest the leader holds one acquire request while the semaphore is full. */
	static final Duration MAX_WAIT = Duration.ofSeconds(1);

	/** At most this many acquire requests are held at the leader at a time (each holds a server thread). */
	static final int MAX_PARKED = 64;

	private final String self;

	private final Leadership leadership;

	private final MembershipManager membership;

	private final LeaderCalls calls;

	private final SemaphoreStore store;

	private final Duration storeTimeout;

	private final Duration callTimeout;

	private final SemaphoreObserver observer;

	private final ScheduledExecutorService reclaimer;

	private volatile long reconcileNotBefore = Long.MAX_VALUE;

	private volatile OperationObserver operationObserver = OperationObserver.NONE;

	/**
	 * Permit ids this process has asked for and not released. A permit held under this member's id that is not among
	 * them was granted to an earlier process with the same id (restarted on the same address and port before the
	 * leader declared it dead), so nobody will ever release it: this process releases it (see
	 * {@link #releaseEarlierIncarnations(int)}).
	 */
	private final Set<String> requested = java.util.concurrent.ConcurrentHashMap.newKeySet();

	/** The leader's recent "full" answers (retries of a refused permit id are refused without a transaction). */
	private final FullAnswers fullAnswers = new FullAnswers(this::now);

	/** Acquire requests the leader holds until a permit is freed (at most {@link #MAX_WAIT} each). */
	private final PermitWaiters waiters = new PermitWaiters(MAX_PARKED);

	/**
	 * Creates the manager.
	 * @param group the group (thread names)
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
		this.self = self;
		this.leadership = leadership;
		this.membership = membership;
		this.calls = calls;
		this.store = store;
		this.storeTimeout = storeTimeout;
		this.callTimeout = callTimeout;
		this.observer = observer;
		ScheduledThreadPoolExecutor reclaims = new ScheduledThreadPoolExecutor(1,
				NamedThreads.single(group.replaceAll("[^A-Za-z0-9_.-]", "_"), "semaphore-reclaim"));
		reclaims.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
		this.reclaimer = reclaims;
		membership.addListener(this::membershipChanged);
		// at once (as soon as a leader is known), and again after a member timeout for a grant that was in flight to
		// the earlier process when it died
		Duration soon = membership.options().heartbeatInterval();
		schedule(() -> releaseEarlierIncarnations(1, soon), soon);
		schedule(() -> releaseEarlierIncarnations(1, membership.options().memberTimeout()),
				membership.options().memberTimeout());
		leadership.addListener(new LeadershipListener() {
			@Override
			public void onGranted(LeadershipEvent event) {
				becameLeader();
			}

			@Override
			public void onRevoked(LeadershipEvent event) {
				// held requests answer "not leader" now rather than at the end of their wait
				Semaphores.this.waiters.wakeAll();
			}
		});
	}

	/**
	 * Opens a semaphore, creating it with {@code limit} if it does not exist.
	 * @param name the name (any string up to 1 KiB of UTF-8)
	 * @param limit the limit (at least 1)
	 * @return the semaphore
	 * @throws SemaphoreLimitMismatchException if it exists with another limit
	 * @throws IllegalArgumentException for an empty or too long name, or a limit below 1
	 * @throws MessagingException if the leader could not be reached in time
	 */
	public HedgeSemaphore open(String name, int limit) {
		validate(name);
		if (limit < 1) {
			throw new IllegalArgumentException("semaphore limit must be at least 1 (was " + limit + ")");
		}
		int stored = this.calls.withRetry(new LeaderCalls.Call<>() {
			@Override
			public Integer local(Duration timeout) {
				return define(name, limit);
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
		this.operationObserver = java.util.Objects.requireNonNull(observer);
	}

	OperationObserver operationObserver() {
		return this.operationObserver;
	}

	static void validate(String name) {
		if (name == null || name.isEmpty()) {
			throw new IllegalArgumentException("semaphore name must not be empty");
		}
		if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
			throw new IllegalArgumentException("semaphore name longer than " + MAX_NAME_BYTES + " bytes");
		}
	}

	SendOptions policy() {
		return SendOptions.untilDeadline(this.callTimeout.multipliedBy(3));
	}

	// ---- client side (used by DistributedSemaphore) ----

	/**
	 * One acquire, retried on retryable failures, that gives up within {@code budget} (the default retry policy when
	 * {@code null}): a {@code tryAcquire(timeout)} must not block for the whole default policy. With {@code wait} the
	 * leader may hold the request while the semaphore is full, for at most half of one attempt's deadline and
	 * {@link #MAX_WAIT}, and grants a permit freed meanwhile (the reply says {@code waited} if none was).
	 * @param name the semaphore
	 * @param permitId the permit id (the same for every attempt)
	 * @param budget at most this long, or {@code null}
	 * @param wait whether the leader may hold the request
	 * @return the leader's answer
	 */
	AcquireReply acquireOnce(String name, String permitId, Duration budget, boolean wait) {
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
		Duration held = wait ? Durations.min(perAttempt.dividedBy(2), MAX_WAIT) : Duration.ZERO;
		return this.calls.withRetry(new LeaderCalls.Call<>() {
			@Override
			public AcquireReply local(Duration timeout) {
				return acquire(name, permitId, Semaphores.this.self, held);
			}

			@Override
			public AcquireReply remote(Channel channel, Duration timeout) {
				return SemaphoresGrpc.newBlockingStub(channel)
					.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
					.acquire(AcquireRequest.newBuilder()
						.setName(name)
						.setPermitId(permitId)
						.setWaitMillis(held.toMillis())
						.build());
			}
		}, policy, perAttempt, true);
	}

	Optional<Instant> releaseOnce(String name, String permitId) {
		ReleaseReply reply = this.calls.withRetry(new LeaderCalls.Call<>() {
			@Override
			public ReleaseReply local(Duration timeout) {
				return release(name, permitId, Semaphores.this.self);
			}

			@Override
			public ReleaseReply remote(Channel channel, Duration timeout) {
				return SemaphoresGrpc.newBlockingStub(channel)
					.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
					.release(ReleaseRequest.newBuilder().setName(name).setPermitId(permitId).build());
			}
		}, policy(), this.callTimeout, true);
		return reply.getReleased()
				? Optional.of(Instant.ofEpochSecond(reply.getCommitSeconds(), reply.getCommitNanos())) : Optional.empty();
	}

	List<SemaphoreStore.PermitRecord> holders(String name) {
		return this.store.permits(name, this.storeTimeout);
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

	// ---- leader side ----

	private Fence fence() {
		return this.leadership.fence()
			.orElseThrow(() -> new NotLeaderException(this.self, this.leadership.leaderId().orElse(null),
					this.leadership.epoch()));
	}

	private int define(String name, int limit) {
		return this.store.define(fence(), name, limit, this.self, this.storeTimeout);
	}

	/**
	 * Grant attempts until one succeeds, or none did and {@code wait} has passed without a permit being freed
	 * through this leader (the reply then says {@code waited}), or no wait was possible (too many held requests).
	 */
	private AcquireReply acquire(String name, String permitId, String holder, Duration wait) {
		long end = System.nanoTime() + Durations.min(wait, MAX_WAIT).toNanos();
		while (true) {
			long seen = this.waiters.generation(name);
			AcquireReply reply = acquire(name, permitId, holder);
			if (reply.getGranted()) {
				return reply;
			}
			switch (this.waiters.awaitFreed(name, seen, end - System.nanoTime())) {
				case FREED -> {
					// a permit was freed: try again
				}
				case TIMED_OUT -> {
					return reply.toBuilder().setWaited(true).build();
				}
				case REFUSED -> {
					return reply;
				}
			}
		}
	}

	private AcquireReply acquire(String name, String permitId, String holder) {
		if (!this.membership.view().contains(holder)) {
			throw new dev.hedge.messaging.MemberUnavailableException(holder,
					"not (yet) a member of the leader's list; it must heartbeat the leader first", false, null);
		}
		Fence fence = fence();
		if (this.fullAnswers.stillFull(name, permitId)) {
			return AcquireReply.newBuilder().setGranted(false).setEpoch(fence.epoch()).build();
		}
		SemaphoreStore.Grant grant;
		this.fullAnswers.started(name, permitId);
		boolean full = false;
		try {
			grant = this.store.grant(fence, name, permitId, holder, this.self, this.storeTimeout);
			full = grant.status() == SemaphoreStore.Grant.Status.FULL;
		}
		finally {
			this.fullAnswers.finished(name, permitId, full);
		}
		return switch (grant.status()) {
			case GRANTED -> {
				if (grant.created()) {
					this.observer.granted(name, permitId, holder, fence.epoch(), grant.committedAt());
				}
				yield AcquireReply.newBuilder()
					.setGranted(true)
					.setEpoch(fence.epoch())
					.setCommitSeconds(grant.committedAt().getEpochSecond())
					.setCommitNanos(grant.committedAt().getNano())
					.build();
			}
			case FULL -> AcquireReply.newBuilder().setGranted(false).setEpoch(fence.epoch()).build();
			case NOT_FOUND -> throw new dev.hedge.messaging.RequestRejectedException(this.self, Failure.Kind.INVALID,
					"semaphore '" + name + "' does not exist");
		};
	}

	private ReleaseReply release(String name, String permitId, String caller) {
		Fence fence = fence();
		Optional<SemaphoreStore.PermitRecord> permit = this.store.permits(name, this.storeTimeout)
			.stream()
			.filter((p) -> p.permitId().equals(permitId))
			.findFirst();
		if (permit.isEmpty()) {
			return ReleaseReply.newBuilder().setReleased(false).build();
		}
		if (!permit.get().holder().equals(caller)) {
			throw new dev.hedge.messaging.RequestRejectedException(this.self, Failure.Kind.INVALID,
					"permit " + permitId + " is held by another member");
		}
		// check the belief again right before writing: the read above may have outlasted it (found by the chaos
		// suite's C2, a release written 51 ms after the leader's deadline; the fence made it safe, not the belief)
		Fence current = fence();
		Optional<Instant> at = this.store.revoke(current, name, permitId, this.storeTimeout);
		freed(name);
		at.ifPresent((instant) -> this.observer.released(name, permitId, caller, false, current.epoch(), instant));
		return at.map((instant) -> ReleaseReply.newBuilder()
			.setReleased(true)
			.setCommitSeconds(instant.getEpochSecond())
			.setCommitNanos(instant.getNano())
			.build()).orElseGet(() -> ReleaseReply.newBuilder().setReleased(false).build());
	}

	void requested(String permitId) {
		this.requested.add(permitId);
	}

	void forget(String permitId) {
		this.requested.remove(permitId);
	}

	/**
	 * Releases the permits an earlier process with this member's id left behind (found by the chaos suite: a leader
	 * killed while holding a permit and restarted on the same address within the member timeout kept the permit
	 * granted for 56 s, until its new process happened to be declared dead; it is never reclaimed otherwise, because
	 * the holder id stays alive). Runs a heartbeat after start and again a member timeout after start, each retried a
	 * few times while it fails (no leader yet, store errors).
	 * @param attempt the attempt (from 1)
	 * @param retryEvery the delay before the next attempt
	 */
	private void releaseEarlierIncarnations(int attempt, Duration retryEvery) {
		boolean failed = false;
		try {
			for (SemaphoreStore.PermitRecord permit : this.store.allPermits(this.storeTimeout)) {
				if (!permit.holder().equals(this.self) || this.requested.contains(permit.permitId())) {
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

	// ---- reclaiming the permits of dead members ----

	private void freed(String name) {
		this.fullAnswers.freed(name);
		this.waiters.freed(name);
	}

	private void becameLeader() {
		this.fullAnswers.clear();
		Duration wait = this.membership.options().memberTimeout();
		this.reconcileNotBefore = now() + wait.toNanos();
		schedule(this::reconcile, wait.plus(this.membership.options().heartbeatInterval()));
	}

	private void membershipChanged(MembershipChange change) {
		if (!change.removed().isEmpty() && this.leadership.isLeader()) {
			execute(() -> {
				for (String member : change.removed()) {
					reclaim(member);
				}
			});
			// a member that left without going silent (a Leave) is reclaimed once it has been silent long enough
			schedule(this::reconcileOnce, this.membership.options().memberTimeout().plusMillis(100));
		}
	}

	private void reconcileOnce() {
		try {
			if (this.leadership.isLeader() && now() - this.reconcileNotBefore >= 0) {
				Set<String> orphaned = new HashSet<>();
				for (SemaphoreStore.PermitRecord permit : this.store.allPermits(this.storeTimeout)) {
					if (!this.membership.view().contains(permit.holder())) {
						orphaned.add(permit.holder());
					}
				}
				orphaned.forEach(this::reclaim);
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Semaphore reconcile failed", ex);
		}
	}

	private void reclaim(String member) {
		Optional<Fence> fence = this.leadership.fence();
		if (fence.isEmpty() || this.membership.view().contains(member)
				|| this.membership.heardWithin(member, this.membership.options().memberTimeout())) {
			return;
		}
		try {
			for (SemaphoreStore.Revoked revoked : this.store.revokeHolder(fence.get(), member, this.storeTimeout)) {
				freed(revoked.permit().semaphore());
				logger.info("Leader {} reclaimed permit {} of '{}' from {}, declared dead", this.self,
						revoked.permit().permitId(), revoked.permit().semaphore(), member);
				this.observer.released(revoked.permit().semaphore(), revoked.permit().permitId(), member, true,
						fence.get().epoch(), revoked.revokedAt());
			}
		}
		catch (FencedException ex) {
			logger.debug("Reclaim of {} fenced off", member);
		}
		catch (RuntimeException ex) {
			logger.warn("Leader {} could not reclaim the permits of {}; retrying at the next check: {}", this.self,
					member, ex.toString());
		}
	}

	private void reconcile() {
		reconcileOnce();
		if (this.leadership.isLeader()) {
			schedule(this::reconcile, this.membership.options().memberTimeout());
		}
	}

	private void execute(Runnable task) {
		try {
			this.reclaimer.execute(task);
		}
		catch (RejectedExecutionException ex) {
			// closed
		}
	}

	private void schedule(Runnable task, Duration delay) {
		try {
			this.reclaimer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
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
		return new Service();
	}

	@Override
	public void close() {
		this.waiters.close();
		this.reclaimer.shutdown();
	}

	private final class Service extends SemaphoresGrpc.SemaphoresImplBase {

		@Override
		public void define(DefineRequest request, StreamObserver<DefineReply> responses) {
			answer(responses, () -> {
				validate(request.getName());
				if (request.getLimit() < 1) {
					throw new dev.hedge.messaging.RequestRejectedException(Semaphores.this.self, Failure.Kind.INVALID,
							"limit must be at least 1");
				}
				return DefineReply.newBuilder()
					.setLimit(Semaphores.this.define(request.getName(), request.getLimit()))
					.build();
			});
		}

		@Override
		public void acquire(AcquireRequest request, StreamObserver<AcquireReply> responses) {
			answer(responses, () -> {
				validate(request.getName());
				requireId(request.getPermitId());
				Duration wait = Duration.ofMillis(Math.max(0, request.getWaitMillis()));
				io.grpc.Deadline deadline = io.grpc.Context.current().getDeadline();
				if (deadline != null) {
					// half of what the caller still waits stays for the grant transaction and the reply
					long half = Math.max(0, deadline.timeRemaining(TimeUnit.NANOSECONDS) / 2);
					wait = Durations.min(wait, Duration.ofNanos(half));
				}
				return Semaphores.this.acquire(request.getName(), request.getPermitId(),
						HedgeHeaders.caller().sender(), wait);
			});
		}

		@Override
		public void release(ReleaseRequest request, StreamObserver<ReleaseReply> responses) {
			answer(responses, () -> {
				validate(request.getName());
				requireId(request.getPermitId());
				return Semaphores.this.release(request.getName(), request.getPermitId(),
						HedgeHeaders.caller().sender());
			});
		}

		private void requireId(String id) {
			if (id.isEmpty() || id.length() > 128) {
				throw new IllegalArgumentException("permit id must be 1..128 characters");
			}
		}

		private <T> void answer(StreamObserver<T> responses, java.util.function.Supplier<T> work) {
			T reply;
			try {
				if (!Semaphores.this.leadership.isLeader()) {
					throw new NotLeaderException(Semaphores.this.self, Semaphores.this.leadership.leaderId().orElse(null),
							Semaphores.this.leadership.epoch());
				}
				reply = work.get();
			}
			catch (RuntimeException ex) {
				responses.onError(dev.hedge.messaging.Failures
					.of(Semaphores.this.self, ex, Semaphores.this.leadership.leaderId().orElse(null),
							Semaphores.this.leadership.epoch())
					.toException());
				return;
			}
			responses.onNext(reply);
			responses.onCompleted();
		}

	}

}
