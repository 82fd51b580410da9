package dev.hedge.semaphore;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.hedge.common.Durations;
import dev.hedge.common.OperationObserver.Operation;
import dev.hedge.common.OperationObserver.Outcome;
import dev.hedge.messaging.MemberUnavailableException;
import dev.hedge.messaging.MessagingException;
import dev.hedge.messaging.OperationOutcomes;
import dev.hedge.transport.grpc.proto.AcquireReply;

/**
 * A {@link HedgeSemaphore} whose operations go to the leader. One acquire uses one permit id for all its attempts,
 * so a retried request never takes a second permit; if an acquire gives up after an attempt of unknown outcome, it
 * releases that id so no permit leaks.
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
		return observed(() -> acquireUntil(Long.MAX_VALUE)).orElseThrow();
	}

	@Override
	public Optional<Permit> tryAcquire() {
		return observed(this::attemptOnce);
	}

	private Optional<Permit> attemptOnce() {
		String id = UUID.randomUUID().toString();
		try {
			Optional<Permit> permit = attempt(id, null, false).permit();
			if (permit.isEmpty()) {
				this.semaphores.forget(id);
			}
			return permit;
		}
		catch (MemberUnavailableException ex) {
			if (ex.isTimeout()) {
				releaseQuietly(id);
			}
			throw ex;
		}
	}

	@Override
	public Optional<Permit> tryAcquire(Duration timeout) throws InterruptedException {
		long deadline = this.semaphores.now() + timeout.toNanos();
		return observed(() -> acquireUntil(deadline));
	}

	private Optional<Permit> acquireUntil(long deadline) throws InterruptedException {
		String id = UUID.randomUUID().toString();
		Duration pause = FIRST_PAUSE;
		boolean uncertain = false;
		while (true) {
			if (Thread.interrupted()) {
				if (uncertain) {
					releaseQuietly(id);
				}
				throw new InterruptedException();
			}
			try {
				Duration budget = (deadline == Long.MAX_VALUE) ? null
						: Duration.ofNanos(Math.max(0, deadline - this.semaphores.now()));
				Attempt attempt = attempt(id, budget, true);
				if (attempt.permit().isPresent()) {
					return attempt.permit();
				}
				// a "full" answer after an attempt of unknown outcome does not prove that attempt was not granted
				// (the leader may answer a retry from memory while the first grant is still committing): stay
				// uncertain, so that giving up releases the id
				if (attempt.waited() && deadline - this.semaphores.now() > 0) {
					// the leader held the request for a freed permit and none came: ask again at once, it waits
					// again (no pause needed, and none would let a freed permit sit idle)
					continue;
				}
			}
			catch (MessagingException ex) {
				if (!ex.isRetryable()) {
					throw ex;
				}
				uncertain = true;
			}
			long left = deadline - this.semaphores.now();
			if (left <= 0) {
				if (!uncertain) {
					this.semaphores.forget(id);
				}
				if (uncertain) {
					// in the background: the caller's timeout is up, and the release may take the whole retry policy
					CompletableFuture.runAsync(() -> releaseQuietly(id));
				}
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
	private Attempt attempt(String id, Duration budget, boolean wait) {
		long session = this.semaphores.session();
		this.semaphores.requested(id);
		AcquireReply reply = this.semaphores.acquireOnce(this.name, id, budget, wait);
		if (!reply.getGranted()) {
			return new Attempt(Optional.empty(), reply.getWaited());
		}
		return new Attempt(Optional.of(new HeldPermit(id, reply.getEpoch(),
				Instant.ofEpochSecond(reply.getCommitSeconds(), reply.getCommitNanos()), session)), false);
	}

	private record Attempt(Optional<Permit> permit, boolean waited) {
	}

	private void releaseQuietly(String id) {
		try {
			this.semaphores.releaseOnce(this.name, id);
			this.semaphores.forget(id);
		}
		catch (RuntimeException ex) {
			// the leader reclaims it when this member dies; nothing else can be done here
		}
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
				DistributedSemaphore.this.semaphores.forget(this.id);
				report(Operation.SEMAPHORE_RELEASE, released.isPresent() ? Outcome.OK : Outcome.NOT_HELD, started);
				return released;
			}
			catch (RuntimeException ex) {
				report(Operation.SEMAPHORE_RELEASE, OperationOutcomes.of(ex), started);
				throw ex;
			}
		}

		@Override
		public String toString() {
			return "Permit[" + DistributedSemaphore.this.name + "/" + this.id + ", epoch " + this.epoch + "]";
		}

	}

}
