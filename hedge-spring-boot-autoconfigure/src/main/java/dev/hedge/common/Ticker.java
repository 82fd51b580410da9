package dev.hedge.common;

/**
 * A monotonic nanosecond clock. hedge judges its own leadership only with this clock (never with wall time), so tests
 * and chaos runs can inject a clock that runs slow or fast.
 *
 * <p>Implementations must be thread-safe and never go backwards.
 */
@FunctionalInterface
public interface Ticker {

	/**
	 * Current reading, in nanoseconds, of an arbitrary origin.
	 * @return the reading
	 */
	long nanoTime();

	/**
	 * The system's monotonic clock ({@link System#nanoTime()}).
	 * @return the system ticker
	 */
	static Ticker system() {
		return System::nanoTime;
	}

}
