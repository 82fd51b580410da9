package dev.hedge.semaphore;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.hedge.common.Durations;
import dev.hedge.common.OperationObserver.Operation;
import dev.hedge.common.OperationObserver.Outcome;
import dev.hedge.messaging.MemberUnavailableException;
import dev.hedge.messaging.MessagingException;
import dev.hedge.messaging.OperationOutcomes;

/**
 * A {@link HedgeSemaphore} whose operations go to the leader. One acquire uses one permit id for all its attempts,
 * so a retried request never takes a second permit; if an acquire gives up after an attempt of unknown outcome (also
 * one hidden inside the transport's retries), or a release fails, the id is released in the background until the
 * leader answers, so no permit leaks. Thread-safe.
 */
final class DistributedSemaphore implements HedgeSemaphore {

	private static final Duration FIRST_PAUSE = Duration.ofMillis(20);

	private static final Duration MAX_PAUSE = Duration.ofMillis(500);

	private final Semaphores semaphores;

	private final String name;

	private final int limit;

	DistributedSemaphore(Semaphores semaphores, String name, int limit) {
		this.semaphores = semaphores;
		this.name = name;
		this.limit = limit;
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public int limit() {
		return this.limit;
	}

	@Override
	public Permit acquire() throws InterruptedException {
		return observed(() -> acquire(Long.MAX_VALUE, true)).orElseThrow();
	}

	/**
	 * One attempt, bounded by one call deadline ({@code hedge.messaging.call-timeout}), with no wait at the leader.
	 */
	@Override
	public Optional<Permit> tryAcquire() {
		long deadline = this.semaphores.now() + this.semaphores.callTimeout().toNanos();
		return observed(() -> {
			try {
				return acquire(deadline, false);
			}
			catch (InterruptedException ex) {
				// one attempt never waits: only a thread interrupted before the call gets here; it stays interrupted
				Thread.currentThread().interrupt();
				return Optional.empty();
			}
		});
	}

	@Override
	public Optional<Permit> tryAcquire(Duration timeout) throws InterruptedException {
		long deadline = this.semaphores.now() + timeout.toNanos();
		return observed(() -> acquire(deadline, true));
	}

	/**
	 * Acquires one permit id until granted or {@code deadline} ({@code Long.MAX_VALUE}: no limit); with {@code retry}
	 * asks again (the leader holding each request up to a second for a freed permit) after "full" answers, else
	 * answers the first "full". When it ends without a permit after any attempt of unknown outcome (a grant may have
	 * happened), the id is handed to {@link Semaphores#abandon} rather than forgotten, so no permit leaks.
	 */
	private Optional<Permit> acquire(long deadline, boolean retry) throws InterruptedException {
		String id = UUID.randomUUID().toString();
		AtomicBoolean uncertain = new AtomicBoolean();
		boolean done = false;
		try {
			Optional<Permit> permit = attempts(id, deadline, retry, uncertain);
			done = permit.isPresent();
			return permit;
		}
		finally {
			if (!done) {
				if (uncertain.get()) {
					this.semaphores.abandon(this.name, id);
				}
				else {
					this.semaphores.forget(id);
				}
			}
		}
	}

	private Optional<Permit> attempts(String id, long deadline, boolean retry, AtomicBoolean uncertain)
			throws InterruptedException {
		Duration pause = FIRST_PAUSE;
		while (true) {
			if (Thread.interrupted()) {
				throw new InterruptedException();
			}
			try {
				Duration budget = (deadline == Long.MAX_VALUE) ? null
						: Duration.ofNanos(Math.max(0, deadline - this.semaphores.now()));
				Attempt attempt = attempt(id, budget, retry, () -> uncertain.set(true));
				if (attempt.permit().isPresent() || !retry) {
					return attempt.permit();
				}
				if (attempt.waited() && deadline - this.semaphores.now() > 0) {
					// the leader held the request for a freed permit and none came: ask again at once, it waits
					// again (no pause needed, and none would let a freed permit sit idle)
					continue;
				}
			}
			catch (MessagingException ex) {
				if (ex instanceof MemberUnavailableException unavailable && unavailable.isTimeout()) {
					uncertain.set(true);
				}
				if (!ex.isRetryable() || !retry) {
					throw ex;
				}
			}
			long left = deadline - this.semaphores.now();
			if (left <= 0) {
				return Optional.empty();
			}
			long jittered = (long) (pause.toNanos() * (0.5 + ThreadLocalRandom.current().nextDouble()));
			Thread.sleep(Math.max(1, Math.min(left, jittered) / 1_000_000));
			pause = Durations.min(pause.multipliedBy(2), MAX_PAUSE);
		}
	}

	/**
	 * One acquire of {@code id} (see {@link Semaphores#acquireOnce}): the permit, or none and whether the leader held
	 * the request for a freed permit first.
	 */
	private Attempt attempt(String id, Duration budget, boolean wait, Runnable onUnknownOutcome) {
		long session = this.semaphores.session();
		AcquireAnswer answer = this.semaphores.acquireOnce(this.name, id, budget, wait, onUnknownOutcome);
		if (!answer.granted()) {
			return new Attempt(Optional.empty(), answer.waited());
		}
		return new Attempt(Optional.of(new HeldPermit(id, answer.epoch(), answer.grantedAt(), session)), false);
	}

	private record Attempt(Optional<Permit> permit, boolean waited) {
	}

	/** Runs an acquire and tells the operation observer how it ended (no permit: {@code FULL}). */
	private <E extends Exception> Optional<Permit> observed(Acquisition<E> acquisition) throws E {
		long started = System.nanoTime();
		try {
			Optional<Permit> permit = acquisition.run();
			report(Operation.SEMAPHORE_ACQUIRE, permit.isPresent() ? Outcome.OK : Outcome.FULL, started);
			return permit;
		}
		catch (Exception ex) {
			report(Operation.SEMAPHORE_ACQUIRE, OperationOutcomes.of(ex), started);
			throw ex;
		}
	}

	private void report(Operation operation, Outcome outcome, long started) {
		OperationOutcomes.reportSemaphore(this.semaphores.operationObserver(), operation, this.name, this.limit, outcome,
				started);
	}

	@FunctionalInterface
	private interface Acquisition<E extends Exception> {

		Optional<Permit> run() throws E;

	}

	@Override
	public List<SemaphoreStore.PermitRecord> holders() {
		return this.semaphores.holders(this.name);
	}

	@Override
	public String toString() {
		return "HedgeSemaphore[" + this.name + ", limit " + this.limit + "]";
	}

	private final class HeldPermit implements Permit {

		private final String id;

		private final long epoch;

		private final Instant grantedAt;

		private final long session;

		private final AtomicBoolean released = new AtomicBoolean();

		private volatile boolean lapsed;

		HeldPermit(String id, long epoch, Instant grantedAt, long session) {
			this.id = id;
			this.epoch = epoch;
			this.grantedAt = grantedAt;
			this.session = session;
		}

		@Override
		public String id() {
			return this.id;
		}

		@Override
		public String semaphore() {
			return DistributedSemaphore.this.name;
		}

		@Override
		public long token() {
			return this.grantedAt.getEpochSecond() * 1_000_000_000L + this.grantedAt.getNano();
		}

		@Override
		public long epoch() {
			return this.epoch;
		}

		@Override
		public Instant grantedAt() {
			return this.grantedAt;
		}

		@Override
		public boolean isValid() {
			return remaining().isPresent();
		}

		@Override
		public Optional<Duration> remaining() {
			if (this.released.get() || this.lapsed) {
				return Optional.empty();
			}
			long left = DistributedSemaphore.this.semaphores.validUntil(this.session)
					- DistributedSemaphore.this.semaphores.now();
			if (left <= 0) {
				this.lapsed = true;
				return Optional.empty();
			}
			return Optional.of(Duration.ofNanos(left));
		}

		@Override
		public Optional<Instant> release() {
			if (!this.released.compareAndSet(false, true)) {
				return Optional.empty();
			}
			long started = System.nanoTime();
			try {
				Optional<Instant> released = DistributedSemaphore.this.semaphores
					.releaseOnce(DistributedSemaphore.this.name, this.id);
				report(Operation.SEMAPHORE_RELEASE, released.isPresent() ? Outcome.OK : Outcome.NOT_HELD, started);
				return released;
			}
			catch (RuntimeException ex) {
				// the permit may still be held: keep releasing it in the background
				DistributedSemaphore.this.semaphores.abandon(DistributedSemaphore.this.name, this.id);
				report(Operation.SEMAPHORE_RELEASE, OperationOutcomes.of(ex), started);
				throw ex;
			}
		}

		@Override
		public String toString() {
			return "Permit[" + DistributedSemaphore.this.name + "/" + this.id + ", token " + token() + ", epoch "
					+ this.epoch + "]";
		}

	}

}
