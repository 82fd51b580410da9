package dev.hedge.chain;

import java.time.Duration;

/**
 * Told of every completed chain write and read of this member's callers, and of every configuration it adopts (for
 * meters). Called on the caller's thread (writes, reads) or on hedge's chain threads (configurations), so it must be
 * quick and must not block; exceptions are logged and ignored.
 */
public interface ChainObserver {

	/** Observes nothing. */
	ChainObserver NONE = new ChainObserver() {
	};

	/**
	 * A write completed.
	 * @param duration how long it took
	 * @param outcome {@code ok}, {@code compare_failed}, {@code unavailable} or {@code limit}
	 */
	default void onWrite(Duration duration, String outcome) {
	}

	/**
	 * A read completed.
	 * @param duration how long it took
	 * @param kind {@code clean}, {@code dirty}, {@code local}, {@code forwarded} or {@code failed}
	 */
	default void onRead(Duration duration, String kind) {
	}

	/**
	 * This member adopted a configuration.
	 * @param config the configuration
	 */
	default void onConfig(ChainConfig config) {
	}

}
