package dev.hedge.semaphore;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The leader's memory of permit ids released (or abandoned by an acquirer that gave up) in the last {@code ttl}: a
 * grant of such an id is refused, and one that was already running when the release came is undone. Without it, a
 * grant of unknown outcome whose requester gave up and released the id could commit after that release (or a delayed
 * retry of the same id could arrive after it) and hold a permit nobody will ever release while its holder lives.
 * Bounded ({@value #MAX} ids; the oldest are dropped first). Thread-safe.
 */
final class ReleasedPermits {

	static final int MAX = 100_000;

	private final LongSupplier clock;

	private final long ttlNanos;

	private final LinkedHashMap<String, Long> released = new LinkedHashMap<>();

	/**
	 * Creates the memory.
	 * @param clock monotonic nanoseconds
	 * @param ttl how long an id is remembered: longer than any attempt of it can still be in flight
	 */
	ReleasedPermits(LongSupplier clock, Duration ttl) {
		this.clock = clock;
		this.ttlNanos = ttl.toNanos();
	}

	synchronized void add(String name, String permitId) {
		long now = this.clock.getAsLong();
		expire(now);
		if (this.released.size() >= MAX) {
			Iterator<String> eldest = this.released.keySet().iterator();
			eldest.next();
			eldest.remove();
		}
		this.released.put(key(name, permitId), now);
	}

	synchronized boolean contains(String name, String permitId) {
		expire(this.clock.getAsLong());
		return this.released.containsKey(key(name, permitId));
	}

	synchronized int size() {
		return this.released.size();
	}

	private void expire(long now) {
		Iterator<Map.Entry<String, Long>> entries = this.released.entrySet().iterator();
		while (entries.hasNext() && now - entries.next().getValue() > this.ttlNanos) {
			entries.remove();
		}
	}

	private static String key(String name, String permitId) {
		return name + '\u0000' + permitId;
	}

}
