package dev.hedge.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import dev.hedge.election.Fence;
import dev.hedge.election.LeaseStore;
import dev.hedge.kv.LogEntry;
import dev.hedge.kv.LogQuery;
import dev.hedge.kv.LogRecord;
import dev.hedge.kv.LogStore;
import dev.hedge.store.HedgeStore;
import dev.hedge.store.StoreKind;

/** A real store whose every call is counted (lease calls and log calls). */
final class CountingStore implements HedgeStore {

	private final HedgeStore delegate;

	final CountingLeaseStore leases;

	final LongAdder logReads = new LongAdder();

	final LongAdder logAppends = new LongAdder();

	private final LogStore log;

	CountingStore(HedgeStore delegate) {
		this.delegate = delegate;
		this.leases = new CountingLeaseStore(delegate.leases());
		this.log = new LogStore() {
			@Override
			public List<Instant> append(Fence fence, List<LogRecord> records, Duration timeout) {
				CountingStore.this.logAppends.increment();
				return delegate.log().append(fence, records, timeout);
			}

			@Override
			public List<LogEntry> read(String key, LogQuery query, Duration timeout) {
				CountingStore.this.logReads.increment();
				return delegate.log().read(key, query, timeout);
			}
		};
	}

	long total() {
		return this.leases.total() + this.logReads.sum() + this.logAppends.sum();
	}

	@Override
	public StoreKind kind() {
		return this.delegate.kind();
	}

	@Override
	public LeaseStore leases() {
		return this.leases;
	}

	@Override
	public LogStore log() {
		return this.log;
	}

	@Override
	public dev.hedge.semaphore.SemaphoreStore semaphores() {
		return this.delegate.semaphores();
	}

	@Override
	public void close() {
		this.delegate.close();
	}

}
