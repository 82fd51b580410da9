package dev.hedge.common;

import java.time.Duration;

/**
 * Small {@link Duration} helpers the JDK lacks. Stateless; every method is pure and thread-safe.
 */
public final class Durations {

	private Durations() {
	}

	/**
	 * The shorter of two durations.
	 * @param a one duration
	 * @param b another duration
	 * @return {@code a} if it is not longer than {@code b}, otherwise {@code b}
	 */
	public static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

	/**
	 * The longer of two durations.
	 * @param a one duration
	 * @param b another duration
	 * @return {@code a} if it is not shorter than {@code b}, otherwise {@code b}
	 */
	public static Duration max(Duration a, Duration b) {
		return (a.compareTo(b) >= 0) ? a : b;
	}

}
