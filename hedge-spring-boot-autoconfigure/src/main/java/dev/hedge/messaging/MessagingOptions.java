package dev.hedge.messaging;

import java.time.Duration;

import dev.hedge.common.HedgeConfigurationException;

/**
 * Deadlines of messaging calls. Immutable.
 *
 * @param callTimeout deadline of one send or of each member's broadcast call ({@code hedge.messaging.call-timeout})
 * @param streamTimeout deadline of a whole stream ({@code hedge.messaging.stream-timeout})
 * @param sendRetry the default retry policy of {@code sendToLeader}
 */
public record MessagingOptions(Duration callTimeout, Duration streamTimeout, SendOptions sendRetry) {

	/** 5 s calls, 5 min streams, {@link SendOptions#DEFAULTS}. */
	public static final MessagingOptions DEFAULTS = new MessagingOptions(Duration.ofSeconds(5), Duration.ofMinutes(5),
			SendOptions.DEFAULTS);

	/**
	 * Validates the options.
	 * @param callTimeout call deadline
	 * @param streamTimeout stream deadline
	 * @param sendRetry retry policy
	 */
	public MessagingOptions {
		if (callTimeout == null || callTimeout.isZero() || callTimeout.isNegative()) {
			throw new HedgeConfigurationException("hedge.messaging.call-timeout", "must be positive");
		}
		if (streamTimeout == null || streamTimeout.isZero() || streamTimeout.isNegative()) {
			throw new HedgeConfigurationException("hedge.messaging.stream-timeout", "must be positive");
		}
	}

}
