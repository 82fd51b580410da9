package dev.hedge.semaphore;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.LongSupplier;

import dev.hedge.common.Durations;
import dev.hedge.election.Fence;
import dev.hedge.election.Leadership;
import dev.hedge.membership.MembershipManager;
import dev.hedge.messaging.MemberUnavailableException;
import dev.hedge.messaging.NotLeaderException;
import dev.hedge.messaging.RequestRejectedException;
import dev.hedge.transport.grpc.Failure;

/**
 * The leader's side of a group's semaphores: decides definitions, grants and releases. Free of any wire type; the
 * gRPC adapter ({@code SemaphoresService}) and this node's own client calls both end here.
 *
 * <p>Safety: a grant is decided in one store transaction that checks the leader's fence and the count against the
 * limit; a member may hold a permit only while it is in the leader's member list (grants to non-members are refused).
 * A grant of an id its requester already released or abandoned ({@link ReleasedPermits}) is refused, or undone when
 * the release came while it ran, so no permit outlives the acquirer's interest in it.
 *
 * <p>Liveness: while the semaphore is full the leader holds an acquire for a freed permit (at most {@link #MAX_WAIT},
 * {@link #MAX_PARKED} at a time) and answers a retry of an id the store refused moments ago from memory
 * ({@link FullAnswers}). Thread-safe: called on gRPC threads and by this node's own acquirers concurrently.
 */
final class SemaphoreCoordinator {

	/** The longest the leader holds one acquire request while the semaphore is full. */
	static final Duration MAX_WAIT = Duration.ofSeconds(1);

	/** At most this many acquire requests are held at the leader at a time (each holds a server thread). */
	static final int MAX_PARKED = 64;

	private final String group;

	private final String self;

	private final Leadership leadership;

	private final MembershipManager membership;

	private final SemaphoreStore store;

	private final Duration storeTimeout;

	private final SemaphoreObserver observer;

	private final FullAnswers fullAnswers;

	private final PermitWaiters waiters = new PermitWaiters(MAX_PARKED);

	private final ReleasedPermits released;

	SemaphoreCoordinator(String group, String self, Leadership leadership, MembershipManager membership,
			SemaphoreStore store, Duration storeTimeout, Duration callTimeout, SemaphoreObserver observer,
			LongSupplier clock) {
		this.group = group;
		this.self = self;
		this.leadership = leadership;
		this.membership = membership;
		this.store = store;
		this.storeTimeout = storeTimeout;
		this.observer = observer;
		this.fullAnswers = new FullAnswers(clock);
		// every attempt of a released id ends within one call deadline (held waits included): remember it longer
		this.released = new ReleasedPermits(clock,
				Durations.max(Duration.ofSeconds(30), callTimeout.multipliedBy(4).plus(MAX_WAIT)));
	}

	Fence fence() {
		return this.leadership.fence()
			.orElseThrow(() -> new NotLeaderException(this.self, this.leadership.leaderId().orElse(null),
					this.leadership.epoch()));
	}

	int define(String name, int limit) {
		return this.store.define(fence(), name, limit, this.self, this.storeTimeout);
	}

	/**
	 * Grant attempts until one succeeds, or none did and {@code wait} has passed without a permit being freed
	 * through this leader (the answer then says {@code waited}), or no wait was possible (too many held requests).
	 */
	AcquireAnswer acquire(String name, String permitId, String holder, Duration wait) {
		long end = System.nanoTime() + Durations.min(wait, MAX_WAIT).toNanos();
		while (true) {
			long seen = this.waiters.generation(name);
			AcquireAnswer answer = acquireOnce(name, permitId, holder);
			if (answer.granted()) {
				return answer;
			}
			switch (this.waiters.awaitFreed(name, seen, end - System.nanoTime())) {
				case FREED -> {
					// a permit was freed: try again
				}
				case TIMED_OUT -> {
					return answer.afterWaiting();
				}
				case REFUSED -> {
					return answer;
				}
			}
		}
	}

	private AcquireAnswer acquireOnce(String name, String permitId, String holder) {
		if (!this.membership.view().contains(holder)) {
			throw new MemberUnavailableException(holder,
					"not (yet) a member of the leader's list; it must heartbeat the leader first", false, null);
		}
		Fence fence = fence();
		if (this.released.contains(name, permitId)) {
			// its requester gave up on it (released or abandoned): never grant it again
			return AcquireAnswer.refused(fence.epoch());
		}
		if (this.fullAnswers.stillFull(name, permitId)) {
			return AcquireAnswer.refused(fence.epoch());
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
				if (this.released.contains(name, permitId)) {
					// the release came while this grant ran: undo it, the requester no longer wants it
					undo(fence, name, permitId, holder, grant);
					yield AcquireAnswer.refused(fence.epoch());
				}
				if (grant.created()) {
					this.observer.granted(name, permitId, holder, fence.epoch(), grant.committedAt());
				}
				yield AcquireAnswer.granted(fence.epoch(), grant.committedAt());
			}
			case FULL -> AcquireAnswer.refused(fence.epoch());
			case NOT_FOUND -> throw new RequestRejectedException(this.self, Failure.Kind.INVALID,
					"semaphore '" + name + "' does not exist");
		};
	}

	private void undo(Fence fence, String name, String permitId, String holder, SemaphoreStore.Grant grant) {
		if (grant.created()) {
			this.observer.granted(name, permitId, holder, fence.epoch(), grant.committedAt());
		}
		this.store.revoke(fence, name, permitId, this.storeTimeout).ifPresent((at) -> {
			freed(name);
			this.observer.released(name, permitId, holder, false, fence.epoch(), at);
		});
	}

	/**
	 * Releases a permit of the caller's; remembers the id either way (a grant of it still in flight is undone).
	 * @return the commit timestamp of the release, or empty when the permit was not held
	 */
	Optional<Instant> release(String name, String permitId, String caller) {
		fence();
		Optional<SemaphoreStore.PermitRecord> permit = this.store.permits(this.group, name, this.storeTimeout)
			.stream()
			.filter((p) -> p.permitId().equals(permitId))
			.findFirst();
		if (permit.isPresent() && !permit.get().holder().equals(caller)) {
			throw new RequestRejectedException(this.self, Failure.Kind.INVALID,
					"permit " + permitId + " is held by another member");
		}
		this.released.add(name, permitId);
		if (permit.isEmpty()) {
			return Optional.empty();
		}
		// the fence is taken again right before writing: the read above may have outlasted the belief
		Fence current = fence();
		Optional<Instant> at = this.store.revoke(current, name, permitId, this.storeTimeout);
		freed(name);
		at.ifPresent((instant) -> this.observer.released(name, permitId, caller, false, current.epoch(), instant));
		return at;
	}

	/** A permit of {@code name} was freed (released or reclaimed): held acquires may take it. */
	void freed(String name) {
		this.fullAnswers.freed(name);
		this.waiters.freed(name);
	}

	void becameLeader() {
		this.fullAnswers.clear();
	}

	/** Held requests answer "not leader" now rather than at the end of their wait. */
	void stoppedLeading() {
		this.waiters.wakeAll();
	}

	int remembered() {
		return this.released.size();
	}

	void close() {
		this.waiters.close();
	}

}
