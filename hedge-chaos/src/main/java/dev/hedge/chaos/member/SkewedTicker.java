package dev.hedge.chaos.member;

import dev.hedge.common.Ticker;

/**
 * A monotonic clock running at {@code rate} times real speed (rate 0.99 = 1 % slow), for the clock-rate fault of
 * scenario S8: hedge judges its lease by this clock, while histories are always written in real
 * {@code System.nanoTime()} (converted with {@link #toReal(long)}), never in skewed time.
 *
 * <p>Immutable and therefore thread-safe.
 */
final class SkewedTicker implements Ticker {

	private final long base = System.nanoTime();

	private final double rate;

	double rate() {
		return this.rate;
	}

	SkewedTicker(double rate) {
		this.rate = rate;
	}

	@Override
	public long nanoTime() {
		return this.base + (long) ((System.nanoTime() - this.base) * this.rate);
	}

	/**
	 * The real {@code System.nanoTime()} at which this clock reads {@code skewed}.
	 * @param skewed a reading of this clock
	 * @return the real time; {@link Long#MAX_VALUE} stays so
	 */
	long toReal(long skewed) {
		if (skewed == Long.MAX_VALUE || this.rate == 1.0) {
			return skewed;
		}
		return this.base + (long) ((skewed - this.base) / this.rate);
	}

}
