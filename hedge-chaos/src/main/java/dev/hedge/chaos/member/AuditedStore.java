package dev.hedge.chaos.member;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import dev.hedge.chaos.history.Effect;
import dev.hedge.election.Fence;
import dev.hedge.election.LeaseStore;
import dev.hedge.kv.LogEntry;
import dev.hedge.kv.LogQuery;
import dev.hedge.kv.LogRecord;
import dev.hedge.kv.LogStore;
import dev.hedge.semaphore.SemaphoreStore;
import dev.hedge.store.HedgeStore;
import dev.hedge.store.StoreKind;

/**
 * Wraps a member's store and records every fenced leader-side write that committed as an {@link Effect}: each row of
 * a put batch ({@code put}, id = the value), semaphore grants ({@code sem-grant}), releases ({@code sem-release}) and
 * reclaims of a dead holder's permits ({@code sem-reclaim}, id = {@code <semaphore>/<permit id>}), all with the epoch
 * of the fence and the commit
 * timestamp, for the fence audit (C3). The effect's time is when the leader decided to write (just before the store
 * call): that is the action C2 requires inside the member's belief; the commit itself may land later, which only the
 * fence makes safe.
 *
 * <p>Thread-safe as the wrapped store is.
 */
final class AuditedStore implements HedgeStore {

	private final HedgeStore delegate;

	private final String member;

	private final Recorder recorder;

	private final LogStore log;

	private final SemaphoreStore semaphores;

	AuditedStore(HedgeStore delegate, String member, Recorder recorder) {
		this.delegate = delegate;
		this.member = member;
		this.recorder = recorder;
		this.log = new AuditedLog(delegate.log());
		this.semaphores = new AuditedSemaphores(delegate.semaphores());
	}

	/** Real wall-clock time in microseconds, corrected for an offset a libfaketime run applies. */
	private static long wallMicros() {
		return micros(Instant.now()) - Long.getLong("chaos.wallOffsetMillis", 0L) * 1_000;
	}

	static long micros(Instant instant) {
		return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
	}

	private void effect(String kind, Fence fence, long decided, Instant committed, String id) {
		this.recorder.append(Recorder.EFFECTS,
				new Effect(this.member, kind, fence.epoch(), decided, decided, micros(committed), id));
	}

	@Override
	public StoreKind kind() {
		return this.delegate.kind();
	}

	@Override
	public LeaseStore leases() {
		return this.delegate.leases();
	}

	@Override
	public LogStore log() {
		return this.log;
	}

	@Override
	public SemaphoreStore semaphores() {
		return this.semaphores;
	}

	/**
	 * The replicated data's durable replicas and pruning records, unaudited, for S12's members only: the other
	 * scenarios' members keep no replicated data in the store, as before S12.
	 */
	@Override
	public java.util.Optional<dev.hedge.replicator.ReplicaSnapshotStore> replicaSnapshots() {
		return (System.getProperty(MemberMain.LIKES_ROUTES) != null) ? this.delegate.replicaSnapshots()
				: java.util.Optional.empty();
	}

	@Override
	public void close() {
		this.delegate.close();
	}

	private final class AuditedLog implements LogStore {

		private final LogStore log;

		AuditedLog(LogStore log) {
			this.log = log;
		}

		@Override
		public List<Instant> append(Fence fence, List<LogRecord> records, Duration timeout) {
			long decided = System.nanoTime();
			long decidedWall = wallMicros();
			List<Instant> timestamps = this.log.append(fence, records, timeout);
			if (fence != null) {
				for (int i = 0; i < records.size(); i++) {
					Instant committed = timestamps.get(i);
					if (micros(committed) < decidedWall - 1_000) {
						// the row already existed (a retried put whose first attempt committed earlier, maybe under
						// another epoch): the store answers with the original commit timestamp, which this batch did
						// not write, so it is not this epoch's effect
						AuditedStore.this.recorder.append(Recorder.EFFECTS, new Effect(AuditedStore.this.member,
								"put-existing", fence.epoch(), decided, decided, 0, records.get(i).value()));
						continue;
					}
					effect("put", fence, decided, committed, records.get(i).value());
				}
			}
			return timestamps;
		}

		@Override
		public List<LogEntry> read(String key, LogQuery query, Duration timeout) {
			return this.log.read(key, query, timeout);
		}

	}

	private final class AuditedSemaphores implements SemaphoreStore {

		private final SemaphoreStore store;

		AuditedSemaphores(SemaphoreStore store) {
			this.store = store;
		}

		@Override
		public int define(Fence fence, String name, int limit, String writer, Duration timeout) {
			return this.store.define(fence, name, limit, writer, timeout);
		}

		@Override
		public Grant grant(Fence fence, String name, String permitId, String holder, String writer,
				Duration timeout) {
			long decided = System.nanoTime();
			Grant grant = this.store.grant(fence, name, permitId, holder, writer, timeout);
			if (grant.created() && grant.committedAt() != null) {
				effect("sem-grant", fence, decided, grant.committedAt(), name + "/" + permitId);
			}
			return grant;
		}

		@Override
		public Optional<Instant> revoke(Fence fence, String name, String permitId, Duration timeout) {
			long decided = System.nanoTime();
			Optional<Instant> at = this.store.revoke(fence, name, permitId, timeout);
			at.ifPresent((instant) -> effect("sem-release", fence, decided, instant, name + "/" + permitId));
			return at;
		}

		@Override
		public List<Revoked> revokeExactly(Fence fence, Collection<PermitRecord> permits, Duration timeout) {
			long decided = System.nanoTime();
			List<Revoked> revoked = this.store.revokeExactly(fence, permits, timeout);
			for (Revoked one : revoked) {
				effect("sem-reclaim", fence, decided, one.revokedAt(),
						one.permit().semaphore() + "/" + one.permit().permitId());
			}
			return revoked;
		}

		@Override
		public List<PermitRecord> permits(String group, String name, Duration timeout) {
			return this.store.permits(group, name, timeout);
		}

		@Override
		public List<PermitRecord> allPermits(String group, Duration timeout) {
			return this.store.allPermits(group, timeout);
		}

		@Override
		public OptionalInt limit(String group, String name, Duration timeout) {
			return this.store.limit(group, name, timeout);
		}

	}

}
