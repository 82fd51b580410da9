package dev.hedge.chaos.history;

/**
 * Helpers for the "never" value {@link Long#MAX_VALUE} of the {@code *Nanos} fields.
 *
 * <p>Stateless and thread-safe.
 */
final class Nanos {

	static final long NEVER = Long.MAX_VALUE;

	private Nanos() {
	}

	static long orNever(Long nanos) {
		return (nanos != null) ? nanos : NEVER;
	}

	static String format(long nanos) {
		return (nanos != NEVER) ? Long.toString(nanos) : "never";
	}

}
