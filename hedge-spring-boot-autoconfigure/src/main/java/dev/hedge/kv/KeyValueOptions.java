package dev.hedge.kv;

import java.time.Duration;

import dev.hedge.common.HedgeConfigurationException;

/**
 * Settings of the key/value log. Immutable.
 *
 * @param putTimeout how long a put may take, retries and leader changes included ({@code hedge.kv.put-timeout})
 * @param maxBatch the most puts committed in one transaction ({@code hedge.kv.max-batch}); 1 disables group
 * commit (one transaction per put)
 * @param maxQueued the most puts waiting on the leader ({@code hedge.kv.max-queued}); beyond it puts are refused
 * with a retryable error
 * @param maxKeyBytes the largest key, in UTF-8 bytes ({@code hedge.kv.max-key-size}); Spanner caps a row's primary
 * key at 8 KiB
 * @param maxValueBytes the largest value, in UTF-8 bytes ({@code hedge.kv.max-value-size})
 * @param maxBatchBytes the most data in one transaction ({@code hedge.kv.max-batch-size}): Spanner refuses
 * transactions over 100 MiB and its time index stores each value a second time, so the default is 32 MiB
 */
public record KeyValueOptions(Duration putTimeout, int maxBatch, int maxQueued, int maxKeyBytes, int maxValueBytes,
		long maxBatchBytes) {

	/** Default of {@link #maxBatchBytes()}: 32 MiB. */
	public static final long DEFAULT_MAX_BATCH_BYTES = 32L * 1024 * 1024;

	/** 10 s puts, batches of up to 256 puts and 32 MiB, 10 000 queued, 4 KiB keys, 1 MiB values. */
	public static final KeyValueOptions DEFAULTS = new KeyValueOptions(Duration.ofSeconds(10), 256, 10_000, 4096,
			1024 * 1024, DEFAULT_MAX_BATCH_BYTES);

	/**
	 * Settings with the default batch size in bytes.
	 * @param putTimeout how long a put may take
	 * @param maxBatch the most puts in one transaction
	 * @param maxQueued the most puts waiting on the leader
	 * @param maxKeyBytes the largest key
	 * @param maxValueBytes the largest value
	 */
	public KeyValueOptions(Duration putTimeout, int maxBatch, int maxQueued, int maxKeyBytes, int maxValueBytes) {
		this(putTimeout, maxBatch, maxQueued, maxKeyBytes, maxValueBytes, DEFAULT_MAX_BATCH_BYTES);
	}

	/**
	 * Validates the settings.
	 * @param putTimeout put deadline
	 * @param maxBatch batch size
	 * @param maxQueued queue size
	 * @param maxKeyBytes key size
	 * @param maxValueBytes value size
	 */
	public KeyValueOptions {
		if (putTimeout == null || putTimeout.isZero() || putTimeout.isNegative()) {
			throw new HedgeConfigurationException("hedge.kv.put-timeout", "must be positive");
		}
		if (maxBatch < 1) {
			throw new HedgeConfigurationException("hedge.kv.max-batch", "must be at least 1 (was " + maxBatch + ")");
		}
		if (maxQueued < maxBatch) {
			throw new HedgeConfigurationException("hedge.kv.max-queued", "must be at least hedge.kv.max-batch");
		}
		if (maxKeyBytes < 1 || maxKeyBytes > 7 * 1024) {
			throw new HedgeConfigurationException("hedge.kv.max-key-size", "must be 1B..7KB (was " + maxKeyBytes + ")");
		}
		if (maxValueBytes < 1) {
			throw new HedgeConfigurationException("hedge.kv.max-value-size", "must be positive");
		}
		if (maxBatchBytes < 1) {
			throw new HedgeConfigurationException("hedge.kv.max-batch-size", "must be positive");
		}
	}

	/**
	 * These settings with another batch size.
	 * @param batch the batch size
	 * @return new settings
	 */
	public KeyValueOptions withMaxBatch(int batch) {
		return new KeyValueOptions(this.putTimeout, batch, Math.max(this.maxQueued, batch), this.maxKeyBytes,
				this.maxValueBytes, this.maxBatchBytes);
	}

}
