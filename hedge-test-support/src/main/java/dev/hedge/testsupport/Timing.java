package dev.hedge.testsupport;

import java.time.Duration;

/**
 * One knob that scales every timing-sensitive wait in hedge's tests: {@code -Dhedge.timing-multiple=N} (or the
 * {@code HEDGE_TIMING_MULTIPLE} environment variable) multiplies the durations tests wait for, so a slow machine
 * can be given more room without editing tests. Leases used by tests are not scaled; only the patience is.
 */
public final class Timing {

	private Timing() {
	}

	/**
	 * The multiple in effect (at least 1).
	 * @return the multiple
	 */
	public static double multiple() {
		String value = System.getProperty("hedge.timing-multiple", System.getenv("HEDGE_TIMING_MULTIPLE"));
		if (value == null || value.isBlank()) {
			return 1;
		}
		return Math.max(1, Double.parseDouble(value.trim()));
	}

	/**
	 * A duration scaled by {@link #multiple()}.
	 * @param base the duration on a normal machine
	 * @return the scaled duration
	 */
	public static Duration scaled(Duration base) {
		return Duration.ofNanos((long) (base.toNanos() * multiple()));
	}

	/**
	 * Seconds scaled by {@link #multiple()}.
	 * @param seconds seconds on a normal machine
	 * @return the scaled duration
	 */
	public static Duration seconds(double seconds) {
		return scaled(Duration.ofMillis((long) (seconds * 1000)));
	}

}
