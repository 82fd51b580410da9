package dev.hedge.semaphore;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hedge.election.Fence;
import dev.hedge.election.FencedException;
import dev.hedge.election.Leadership;
import dev.hedge.membership.MembershipChange;
import dev.hedge.membership.MembershipManager;

/**
 * The leader's reclaim of permits held by members declared dead, so a crashed holder's permits come back. A member's
 * permits are reclaimed only when membership has dropped it (silent for the member timeout, which its holders'
 * {@link Permit#isValid()} anticipates), and only the permits read before that check: a permit granted to the member
 * after it was re-admitted is never deleted ({@link SemaphoreStore#revokeExactly}). A new leader reclaims permits of
 * holders it does not know only after it has led for one member timeout (members that are alive had time to
 * heartbeat it), and checks again every member timeout while it leads.
 *
 * <p>Runs on the executor it is given (the semaphores' own thread); never interrupts a store call.
 */
final class PermitReclaimer {

	private static final Logger logger = LoggerFactory.getLogger(PermitReclaimer.class);

	private final String group;

	private final String self;

	private final Leadership leadership;

	private final MembershipManager membership;

	private final SemaphoreStore store;

	private final Duration storeTimeout;

	private final SemaphoreObserver observer;

	private final SemaphoreCoordinator coordinator;

	private final ScheduledExecutorService executor;

	private final LongSupplier clock;

	/** Before this (ticker time), a new leader does not reclaim holders it has not heard; reset on every revoke. */
	private volatile long reconcileNotBefore = Long.MAX_VALUE;

	PermitReclaimer(String group, String self, Leadership leadership, MembershipManager membership,
			SemaphoreStore store, Duration storeTimeout, SemaphoreObserver observer, SemaphoreCoordinator coordinator,
			ScheduledExecutorService executor, LongSupplier clock) {
		this.group = group;
		this.self = self;
		this.leadership = leadership;
		this.membership = membership;
		this.store = store;
		this.storeTimeout = storeTimeout;
		this.observer = observer;
		this.coordinator = coordinator;
		this.executor = executor;
		this.clock = clock;
	}

	private Duration memberTimeout() {
		return this.membership.options().memberTimeout();
	}

	void becameLeader() {
		Duration wait = memberTimeout();
		this.reconcileNotBefore = this.clock.getAsLong() + wait.toNanos();
		schedule(this::reconcile, wait.plus(this.membership.options().heartbeatInterval()));
	}

	void stoppedLeading() {
		// a later term starts its own wait: a reconcile still scheduled from this one must not run early in it
		this.reconcileNotBefore = Long.MAX_VALUE;
	}

	void membershipChanged(MembershipChange change) {
		if (change.removed().isEmpty() || !this.leadership.isLeader()) {
			return;
		}
		execute(() -> change.removed().forEach(this::reclaim));
		// a member that left without going silent (a Leave) is reclaimed once it has been silent long enough
		schedule(this::reconcileOnce, memberTimeout().plusMillis(100));
	}

	private void reconcile() {
		reconcileOnce();
		if (this.leadership.isLeader()) {
			schedule(this::reconcile, memberTimeout());
		}
	}

	void reconcileOnce() {
		try {
			if (!this.leadership.isLeader() || this.clock.getAsLong() - this.reconcileNotBefore < 0) {
				return;
			}
			Map<String, List<SemaphoreStore.PermitRecord>> byHolder = this.store
				.allPermits(this.group, this.storeTimeout)
				.stream()
				.filter((permit) -> !this.membership.view().contains(permit.holder()))
				.collect(Collectors.groupingBy(SemaphoreStore.PermitRecord::holder));
			byHolder.forEach(this::reclaim);
		}
		catch (RuntimeException ex) {
			logger.debug("Semaphore reconcile failed", ex);
		}
	}

	private void reclaim(String member) {
		try {
			reclaim(member, this.store.permitsOf(this.group, member, this.storeTimeout));
		}
		catch (RuntimeException ex) {
			logger.warn("Leader {} could not read the permits of {}; retrying at the next check: {}", this.self, member,
					ex.toString());
		}
	}

	/**
	 * Reclaims exactly {@code snapshot} (read before this check) if the member is still absent and silent.
	 */
	private void reclaim(String member, List<SemaphoreStore.PermitRecord> snapshot) {
		Optional<Fence> fence = this.leadership.fence();
		if (snapshot.isEmpty() || fence.isEmpty() || this.membership.view().contains(member)
				|| this.membership.heardWithin(member, memberTimeout())) {
			return;
		}
		try {
			for (SemaphoreStore.Revoked revoked : this.store.revokeExactly(fence.get(), snapshot, this.storeTimeout)) {
				this.coordinator.freed(revoked.permit().semaphore());
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

	private void execute(Runnable task) {
		try {
			this.executor.execute(task);
		}
		catch (RejectedExecutionException ex) {
			// closed
		}
	}

	private void schedule(Runnable task, Duration delay) {
		try {
			this.executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// closed
		}
	}

}
