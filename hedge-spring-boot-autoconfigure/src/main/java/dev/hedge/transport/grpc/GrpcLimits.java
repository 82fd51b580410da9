package dev.hedge.transport.grpc;

import dev.hedge.common.HedgeConfigurationException;

/**
 * Size and concurrency limits of hedge's gRPC traffic, applied on both ends. Immutable.
 *
 * @param maxMessageBytes largest message accepted or sent ({@code hedge.transport.max-message-size}); larger inbound
 * messages are refused with RESOURCE_EXHAUSTED before they are buffered
 * @param maxMetadataBytes largest metadata (headers) accepted
 * @param maxConcurrentCallsPerConnection calls one connection may have in flight
 */
public record GrpcLimits(int maxMessageBytes, int maxMetadataBytes, int maxConcurrentCallsPerConnection) {

	/** 4 MiB messages, 16 KiB metadata, 1024 calls per connection. */
	public static final GrpcLimits DEFAULTS = new GrpcLimits(4 * 1024 * 1024, 16 * 1024, 1024);

	/**
	 * Validates the limits.
	 * @param maxMessageBytes largest message
	 * @param maxMetadataBytes largest metadata
	 * @param maxConcurrentCallsPerConnection calls per connection
	 */
	public GrpcLimits {
		if (maxMessageBytes < 1024) {
			throw new HedgeConfigurationException("hedge.transport.max-message-size",
					"must be at least 1KB (was " + maxMessageBytes + " bytes)");
		}
		if (maxMetadataBytes < 1024) {
			throw new HedgeConfigurationException("hedge.transport.max-metadata-size",
					"must be at least 1KB (was " + maxMetadataBytes + " bytes)");
		}
		if (maxConcurrentCallsPerConnection < 1) {
			throw new HedgeConfigurationException("hedge.transport.max-concurrent-calls-per-connection",
					"must be positive (was " + maxConcurrentCallsPerConnection + ")");
		}
	}

	/**
	 * These limits with another message size.
	 * @param bytes the largest message
	 * @return new limits
	 */
	public GrpcLimits withMaxMessageBytes(int bytes) {
		return new GrpcLimits(bytes, this.maxMetadataBytes, this.maxConcurrentCallsPerConnection);
	}

}
