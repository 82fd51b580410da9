package dev.hedge.transport.grpc;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The nonces of the authenticated calls seen within the skew window, so a captured call cannot be played again. A
 * call's time is covered by its MAC and calls older than the window are refused anyway, so nonces are kept in
 * one-second buckets by call time and a bucket is dropped once it is out of the window: memory is bounded by the call
 * rate times twice the window, and by {@code capacity} (past it, new calls are refused until buckets age out rather
 * than remembered badly). Only nonces of calls whose MAC verified are remembered, so strangers cannot fill it.
 * Thread-safe.
 */
final class ReplayGuard {

	/** Default bound: a million calls within the window (about 60 MB). */
	static final int DEFAULT_CAPACITY = 1_000_000;

	enum Outcome {

		NEW, REPLAYED, FULL

	}

	private final long windowMillis;

	private final int capacity;

	private final LongSupplier wallMillis;

	private final ConcurrentSkipListMap<Long, Set<Nonce>> buckets = new ConcurrentSkipListMap<>();

	private final AtomicInteger size = new AtomicInteger();

	ReplayGuard(long windowMillis, int capacity, LongSupplier wallMillis) {
		this.windowMillis = windowMillis;
		this.capacity = capacity;
		this.wallMillis = wallMillis;
	}

	/**
	 * Remembers a call's nonce.
	 * @param time the call's time (already checked to be within the window)
	 * @param nonce the call's 16-byte nonce
	 * @return whether the call is new, a replay, or cannot be remembered
	 */
	Outcome remember(long time, byte[] nonce) {
		expire();
		if (this.size.get() >= this.capacity) {
			return Outcome.FULL;
		}
		ByteBuffer bytes = ByteBuffer.wrap(nonce);
		Nonce key = new Nonce(bytes.getLong(), bytes.getLong());
		Set<Nonce> bucket = this.buckets.computeIfAbsent(Math.floorDiv(time, 1000L),
				(second) -> ConcurrentHashMap.newKeySet());
		if (!bucket.add(key)) {
			return Outcome.REPLAYED;
		}
		this.size.incrementAndGet();
		return Outcome.NEW;
	}

	/**
	 * How many nonces are remembered.
	 * @return the count
	 */
	int size() {
		return this.size.get();
	}

	private void expire() {
		long oldest = Math.floorDiv(this.wallMillis.getAsLong() - this.windowMillis, 1000L) - 1;
		Map.Entry<Long, Set<Nonce>> first;
		while ((first = this.buckets.firstEntry()) != null && first.getKey() < oldest) {
			if (this.buckets.remove(first.getKey(), first.getValue())) {
				this.size.addAndGet(-first.getValue().size());
			}
		}
	}

	private record Nonce(long high, long low) {
	}

}
