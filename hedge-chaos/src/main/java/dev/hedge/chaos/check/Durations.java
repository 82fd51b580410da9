package dev.hedge.chaos.check;

import java.util.Locale;

/**
 * Human-readable nanosecond durations for violation messages. Stateless and thread-safe.
 */
final class Durations {

	private Durations() {
	}

	static String format(long nanos) {
		if (nanos == Long.MAX_VALUE) {
			return "forever";
		}
		long magnitude = Math.abs(nanos);
		if (magnitude >= 1_000_000_000L) {
			return String.format(Locale.ROOT, "%.3f s", nanos / 1e9);
		}
		if (magnitude >= 1_000_000L) {
			return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
		}
		if (magnitude >= 1_000L) {
			return String.format(Locale.ROOT, "%.3f us", nanos / 1e3);
		}
		return nanos + " ns";
	}

}
