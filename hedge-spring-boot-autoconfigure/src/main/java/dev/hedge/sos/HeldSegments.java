package dev.hedge.sos;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything this member holds for other members, keyed by (origin, store, instance). A group of segments is freed
 * when its origin deletes it, or when no call of the origin has touched it for this member's own TTL (so a crashed
 * origin leaks nothing). At most {@link #MAX_SEGMENTS} segments are held at once. Thread-safe.
 */
final class HeldSegments {

	static final int MAX_SEGMENTS = 4096;

	private static final Logger logger = LoggerFactory.getLogger(HeldSegments.class);

	private final NodeResources resources;

	private final long ttlNanos;

	private final Runnable onFirstSegment;

	private final Map<Key, Group> groups = new ConcurrentHashMap<>();

	private final AtomicInteger segments = new AtomicInteger();

	private volatile boolean closed;

	/**
	 * Creates the registry.
	 * @param resources the member's budget, allocator and directory
	 * @param ttlNanos this member's TTL
	 * @param onFirstSegment called whenever a segment is opened (starts the janitor that expires them)
	 */
	HeldSegments(NodeResources resources, long ttlNanos, Runnable onFirstSegment) {
		this.resources = resources;
		this.ttlNanos = ttlNanos;
		this.onFirstSegment = onFirstSegment;
	}

	/**
	 * Enters the group for a call (creating it if {@code create}); the group is not freed by its TTL while a call
	 * is inside. Pair with {@link Group#leave()}.
	 * @return the group, or null if there is none and {@code create} is false, or this member is closed
	 */
	Group enter(String origin, String store, String instance, boolean create) {
		Key key = new Key(origin, store, instance);
		while (!this.closed) {
			Group group = create ? this.groups.computeIfAbsent(key, Group::new) : this.groups.get(key);
			if (group == null) {
				return null;
			}
			synchronized (group) {
				if (!group.freed) {
					group.active++;
					group.touch();
					return group;
				}
			}
			this.groups.remove(key, group);
		}
		return null;
	}

	/** Frees the groups no call has touched for the TTL. */
	void expire(long now) {
		for (Group group : this.groups.values()) {
			boolean expired;
			synchronized (group) {
				expired = !group.freed && group.active == 0 && now - group.lastContact >= this.ttlNanos;
				if (expired) {
					group.freed = true;
				}
			}
			if (expired) {
				this.groups.remove(group.key, group);
				long[] freed = group.freeAll();
				logger.info("Freed {} spill-over segments ({} records) of store '{}' held for {}: no contact for"
						+ " the TTL", freed[0], freed[1], group.key.store, group.key.origin);
			}
		}
	}

	/**
	 * Frees a group at once (the origin deleted it). Idempotent.
	 * @return segments, records and bytes freed
	 */
	long[] delete(String origin, String store, String instance) {
		Group group = this.groups.remove(new Key(origin, store, instance));
		if (group == null) {
			return new long[3];
		}
		synchronized (group) {
			group.freed = true;
		}
		return group.freeAll();
	}

	void freeAll() {
		this.closed = true;
		for (Group group : new ArrayList<>(this.groups.values())) {
			synchronized (group) {
				group.freed = true;
			}
			this.groups.remove(group.key, group);
			group.freeAll();
		}
	}

	boolean isClosed() {
		return this.closed;
	}

	int segments() {
		return this.segments.get();
	}

	TierStats[] stats() {
		TierStats memory = TierStats.EMPTY;
		TierStats disk = TierStats.EMPTY;
		for (Group group : this.groups.values()) {
			for (HeldSegment segment : group.segments.values()) {
				memory = memory.plus(segment.memoryStats());
				disk = disk.plus(segment.diskStats());
			}
		}
		return new TierStats[] { memory, disk };
	}

	private record Key(String origin, String store, String instance) {

	}

	/** The segments of one (origin, store, instance). */
	final class Group {

		final Key key;

		final Map<Long, HeldSegment> segments = new ConcurrentHashMap<>();

		private int active;

		private boolean freed;

		private volatile long lastContact = System.nanoTime();

		Group(Key key) {
			this.key = key;
		}

		String store() {
			return this.key.store;
		}

		void touch() {
			this.lastContact = System.nanoTime();
		}

		void leave() {
			synchronized (this) {
				this.active--;
				touch();
			}
		}

		/**
		 * Opens a new segment.
		 * @return the segment, or null if this member holds too many
		 * @throws IllegalArgumentException if the number is taken
		 */
		HeldSegment open(long number) {
			synchronized (this) {
				if (this.freed) {
					return null;
				}
				if (this.segments.containsKey(number)) {
					throw new IllegalArgumentException("segment " + number + " of this store already exists");
				}
				if (HeldSegments.this.segments.incrementAndGet() > MAX_SEGMENTS) {
					HeldSegments.this.segments.decrementAndGet();
					return null;
				}
				HeldSegments.this.onFirstSegment.run();
				HeldSegment segment = new HeldSegment(HeldSegments.this.resources, number);
				this.segments.put(number, segment);
				return segment;
			}
		}

		HeldSegment segment(long number) {
			return this.segments.get(number);
		}

		/** Drops a segment that stayed empty (its stream ended before any record). */
		void dropIfEmpty(HeldSegment segment) {
			synchronized (this) {
				if (segment.records() == 0 && this.segments.remove(segment.number, segment)) {
					HeldSegments.this.segments.decrementAndGet();
					segment.free();
				}
			}
		}

		long[] freeAll() {
			long[] freed = new long[3];
			for (HeldSegment segment : new ArrayList<>(this.segments.values())) {
				if (this.segments.remove(segment.number, segment)) {
					HeldSegments.this.segments.decrementAndGet();
					freed[0]++;
					freed[1] += segment.records();
					freed[2] += segment.memoryStats().bytes() + segment.diskStats().bytes();
					segment.free();
				}
			}
			return freed;
		}

	}

}
