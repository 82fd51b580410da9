package dev.hedge.chain;

import java.time.Duration;
import java.util.Objects;

import dev.hedge.common.HedgeConfigurationException;

/**
 * Settings of a member's chain ({@code hedge.chain.*}). Immutable.
 *
 * @param enabled whether this member runs the chain ({@code hedge.chain.enabled}); every member of a group should
 * agree
 * @param storage where this member keeps its chain data (in memory, or a file per member)
 * @param writeTimeout how long a write may take, retries across reconfigurations included
 * ({@code hedge.chain.write-timeout})
 * @param readTimeout how long a read may take ({@code hedge.chain.read-timeout})
 * @param hopTimeout the deadline of one call between members ({@code hedge.chain.hop-timeout}); a forward that
 * exceeds it is sent again (it is idempotent)
 * @param maxWritesInFlight writes the head accepts at once before it refuses more as overloaded
 * ({@code hedge.chain.max-writes-in-flight})
 * @param catchUpPageKeys keys per page a joining member copies ({@code hedge.chain.catch-up-page-keys}); pages are
 * also capped at half the gRPC message limit
 * @param observer told of operations (meters)
 */
public record ChainOptions(boolean enabled, ChainStorage storage, Duration writeTimeout, Duration readTimeout,
		Duration hopTimeout, int maxWritesInFlight, int catchUpPageKeys, ChainObserver observer) {

	/** Disabled: the member takes no part in a chain and its chain operations fail. */
	public static final ChainOptions DISABLED = new ChainOptions(false,
			ChainStorage.inMemory(ChainStoreOptions.DEFAULTS), Duration.ofSeconds(10), Duration.ofSeconds(5),
			Duration.ofSeconds(2), 10_000, 1_000, ChainObserver.NONE);

	/**
	 * Validates the settings.
	 * @param enabled whether enabled
	 * @param storage the storage
	 * @param writeTimeout the write deadline
	 * @param readTimeout the read deadline
	 * @param hopTimeout the per-call deadline
	 * @param maxWritesInFlight the head's limit
	 * @param catchUpPageKeys keys per catch-up page
	 * @param observer the observer
	 */
	public ChainOptions {
		Objects.requireNonNull(storage, "storage");
		Objects.requireNonNull(observer, "observer");
		positive("hedge.chain.write-timeout", writeTimeout);
		positive("hedge.chain.read-timeout", readTimeout);
		positive("hedge.chain.hop-timeout", hopTimeout);
		if (maxWritesInFlight < 1) {
			throw new HedgeConfigurationException("hedge.chain.max-writes-in-flight",
					"must be positive (was " + maxWritesInFlight + ")");
		}
		if (catchUpPageKeys < 1 || catchUpPageKeys > 100_000) {
			throw new HedgeConfigurationException("hedge.chain.catch-up-page-keys",
					"must be 1..100000 (was " + catchUpPageKeys + ")");
		}
	}

	private static void positive(String property, Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new HedgeConfigurationException(property, "must be positive (was " + value + ")");
		}
	}

	/**
	 * The defaults, enabled, on the given storage.
	 * @param storage the storage
	 * @return the options
	 */
	public static ChainOptions enabled(ChainStorage storage) {
		return DISABLED.withEnabled(true).withStorage(storage);
	}

	/**
	 * These settings, enabled or not.
	 * @param enabled whether enabled
	 * @return new settings
	 */
	public ChainOptions withEnabled(boolean enabled) {
		return new ChainOptions(enabled, this.storage, this.writeTimeout, this.readTimeout, this.hopTimeout,
				this.maxWritesInFlight, this.catchUpPageKeys, this.observer);
	}

	/**
	 * These settings with another storage.
	 * @param storage the storage
	 * @return new settings
	 */
	public ChainOptions withStorage(ChainStorage storage) {
		return new ChainOptions(this.enabled, storage, this.writeTimeout, this.readTimeout, this.hopTimeout,
				this.maxWritesInFlight, this.catchUpPageKeys, this.observer);
	}

	/**
	 * These settings with other deadlines.
	 * @param write the write deadline
	 * @param read the read deadline
	 * @param hop the per-call deadline
	 * @return new settings
	 */
	public ChainOptions withTimeouts(Duration write, Duration read, Duration hop) {
		return new ChainOptions(this.enabled, this.storage, write, read, hop, this.maxWritesInFlight,
				this.catchUpPageKeys, this.observer);
	}

	/**
	 * These settings with other limits.
	 * @param writesInFlight the head's limit
	 * @param pageKeys keys per catch-up page
	 * @return new settings
	 */
	public ChainOptions withLimits(int writesInFlight, int pageKeys) {
		return new ChainOptions(this.enabled, this.storage, this.writeTimeout, this.readTimeout, this.hopTimeout,
				writesInFlight, pageKeys, this.observer);
	}

	/**
	 * These settings with another observer.
	 * @param observer the observer
	 * @return new settings
	 */
	public ChainOptions withObserver(ChainObserver observer) {
		return new ChainOptions(this.enabled, this.storage, this.writeTimeout, this.readTimeout, this.hopTimeout,
				this.maxWritesInFlight, this.catchUpPageKeys, observer);
	}

}
