package dev.hedge.sos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One store on its origin: the local tiers, the write order (including the runs on peers), the single writer slot,
 * and the counts that decide when the TTL starts. Created by {@link ArrowSpillOver}, shared by every handle of the
 * name. Thread-safe; the lock is never held while waiting for the network.
 */
final class StoreState {

	final ArrowSpillOver owner;

	final String name;

	/** This incarnation of the name; peers key their segments by it. */
	final String instance = UUID.randomUUID().toString();

	private final ReentrantLock lock = new ReentrantLock();

	private final Semaphore writerSlot = new Semaphore(1);

	private final SegmentIndex index = new SegmentIndex();

	private final Map<String, PeerLease> leases = new LinkedHashMap<>();

	private final MemoryTier memory;

	private final DiskTier disk;

	private Writer writer;

	private int handles;

	private int readers;

	private long idleSince;

	private long nextSegment = 1;

	private volatile String freed;

	StoreState(ArrowSpillOver owner, String name) {
		this.owner = owner;
		this.name = name;
		String label = "sos-" + name + "-" + this.instance;
		this.memory = new MemoryTier(owner.resources, label);
		this.disk = new DiskTier(owner.resources, label);
		this.idleSince = System.nanoTime();
	}

	MemoryTier memory() {
		return this.memory;
	}

	DiskTier disk() {
		return this.disk;
	}

	boolean isFreed() {
		return this.freed != null;
	}

	void checkLive() {
		String reason = this.freed;
		if (reason != null) {
			throw new SosClosedException("spill-over store '" + this.name + "' was " + reason);
		}
	}

	// ---- handles, writer, readers ----

	boolean acquireHandle() {
		this.lock.lock();
		try {
			if (this.freed != null) {
				return false;
			}
			this.handles++;
			return true;
		}
		finally {
			this.lock.unlock();
		}
	}

	void releaseHandle() {
		this.lock.lock();
		try {
			this.handles--;
			markIfIdle();
		}
		finally {
			this.lock.unlock();
		}
	}

	Writer openWriter(Duration wait) {
		checkLive();
		boolean acquired;
		try {
			acquired = (wait == null) ? this.writerSlot.tryAcquire()
					: this.writerSlot.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new SosException("interrupted while waiting for the writer of '" + this.name + "'", ex);
		}
		if (!acquired) {
			throw new SosWriterBusyException(this.name, (wait == null) ? "" : " (waited " + wait + ")");
		}
		this.lock.lock();
		try {
			if (this.freed != null) {
				this.writerSlot.release();
				checkLive();
			}
			this.writer = new Writer(this);
			return this.writer;
		}
		finally {
			this.lock.unlock();
		}
	}

	void writerClosed(Writer closed) {
		this.lock.lock();
		try {
			if (this.writer == closed) {
				this.writer = null;
				this.writerSlot.release();
				markIfIdle();
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	Reader openReader() {
		this.lock.lock();
		try {
			checkLive();
			this.readers++;
			return new Reader(this, this.index.snapshot(), this.index.records());
		}
		finally {
			this.lock.unlock();
		}
	}

	void readerClosed() {
		this.lock.lock();
		try {
			this.readers--;
			markIfIdle();
		}
		finally {
			this.lock.unlock();
		}
	}

	private void markIfIdle() {
		if (this.handles == 0 && this.readers == 0 && this.writer == null) {
			this.idleSince = System.nanoTime();
		}
	}

	/** Whether the TTL has passed since the last handle, writer and reader closed. */
	boolean expired(long now, long ttlNanos) {
		this.lock.lock();
		try {
			return this.freed == null && this.handles == 0 && this.readers == 0 && this.writer == null
					&& now - this.idleSince >= ttlNanos;
		}
		finally {
			this.lock.unlock();
		}
	}

	// ---- appends (called by the writer) ----

	boolean appendMemory(byte[] record, int offset, int length) {
		this.lock.lock();
		try {
			checkLive();
			long at = this.memory.append(record, offset, length);
			if (at < 0) {
				return false;
			}
			this.index.appendLocal(Location.MEMORY, at, length);
			return true;
		}
		finally {
			this.lock.unlock();
		}
	}

	boolean appendDisk(byte[] record, int offset, int length) {
		this.lock.lock();
		try {
			checkLive();
			long at = this.disk.append(record, offset, length);
			if (at < 0) {
				return false;
			}
			this.index.appendLocal(Location.DISK, at, length);
			return true;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Starts a run on a peer and returns it with the peer segment's number. */
	SegmentIndex.Run startPeerRun(String peer) {
		this.lock.lock();
		try {
			checkLive();
			long segment = this.nextSegment++;
			return this.index.startPeer(Location.peer(peer, segment));
		}
		finally {
			this.lock.unlock();
		}
	}

	/** The peer acknowledged more records of a run (called on gRPC threads, in order per run). */
	void acknowledge(SegmentIndex.Run run, long count, long bytes, long leaseMillis) {
		this.lock.lock();
		try {
			if (this.freed != null) {
				return;
			}
			this.index.acknowledge(run, count, bytes);
			if (count > 0) {
				long leaseNanos = (leaseMillis > 0) ? TimeUnit.MILLISECONDS.toNanos(leaseMillis)
						: this.owner.ttlNanos();
				PeerLease lease = this.leases.computeIfAbsent(run.location.member(),
						(key) -> new PeerLease(leaseNanos));
				lease.leaseNanos = leaseNanos;
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	// ---- keep-alive, stats, free ----

	/**
	 * Peers holding acknowledged records whose keep-alive is due now; schedules the next one a third of their lease
	 * (the peer's own TTL, as it reported) later.
	 */
	List<String> keepAlivesDue(long now) {
		this.lock.lock();
		try {
			List<String> due = new ArrayList<>();
			if (this.freed != null) {
				return due;
			}
			for (Map.Entry<String, PeerLease> entry : this.leases.entrySet()) {
				PeerLease lease = entry.getValue();
				if (now - lease.nextDue >= 0) {
					lease.nextDue = now + Math.max(TimeUnit.MILLISECONDS.toNanos(30), lease.leaseNanos / 3);
					due.add(entry.getKey());
				}
			}
			return due;
		}
		finally {
			this.lock.unlock();
		}
	}

	SosStoreStats stats() {
		this.lock.lock();
		try {
			TierStats memoryStats = TierStats.EMPTY;
			TierStats diskStats = TierStats.EMPTY;
			Map<String, TierStats> peers = new LinkedHashMap<>();
			for (Map.Entry<Location, TierStats> entry : this.index.totals().entrySet()) {
				switch (entry.getKey().kind()) {
					case MEMORY -> memoryStats = entry.getValue();
					case DISK -> diskStats = entry.getValue();
					case PEER -> peers.put(entry.getKey().member(), entry.getValue());
				}
			}
			return new SosStoreStats(this.name, this.index.records(), this.index.bytes(), memoryStats, diskStats,
					peers);
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Frees the local tiers (waiting for running reads and appends) and stops the writer's peer stream; open
	 * writers and readers fail from now on.
	 * @param reason "deleted", "expired" or "closed", for their messages
	 * @return the peers holding segments of this store (to be told), or an empty list if already freed
	 */
	List<String> free(String reason) {
		Writer active;
		List<String> peers;
		this.lock.lock();
		try {
			if (this.freed != null) {
				return List.of();
			}
			this.freed = reason;
			active = this.writer;
			peers = this.index.peers();
		}
		finally {
			this.lock.unlock();
		}
		if (active != null) {
			active.abort();
		}
		this.memory.close();
		this.disk.close();
		return peers;
	}

	/** The keep-alive schedule of one peer. */
	private static final class PeerLease {

		long leaseNanos;

		long nextDue;

		PeerLease(long leaseNanos) {
			this.leaseNanos = leaseNanos;
			this.nextDue = System.nanoTime() + leaseNanos / 3;
		}

	}

}
