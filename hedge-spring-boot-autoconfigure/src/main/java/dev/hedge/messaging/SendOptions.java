package dev.hedge.messaging;

import java.time.Duration;

import dev.hedge.common.HedgeConfigurationException;

/**
 * Retry policy of {@code sendToLeader}: retryable failures (not the leader, no leader known, member unreachable)
 * are retried with exponential backoff and jitter; handler failures and rejections are not. Immutable.
 *
 * @param maxAttempts attempts in total; 0 means "until the deadline"
 * @param deadline the time the whole call may take; the last attempt's deadline is cut to fit
 * @param initialBackoff the first pause
 * @param maxBackoff the largest pause (pauses double up to it, each randomised by ±50 %)
 */
public record SendOptions(int maxAttempts, Duration deadline, Duration initialBackoff, Duration maxBackoff) {

	/** 10 attempts within 30 s, pauses from 100 ms doubling to 2 s. */
	public static final SendOptions DEFAULTS = new SendOptions(10, Duration.ofSeconds(30), Duration.ofMillis(100),
			Duration.ofSeconds(2));

	/**
	 * Validates the policy.
	 * @param maxAttempts attempts, 0 for until the deadline
	 * @param deadline the overall deadline
	 * @param initialBackoff the first pause
	 * @param maxBackoff the largest pause
	 */
	public SendOptions {
		if (maxAttempts < 0) {
			throw new HedgeConfigurationException("hedge.messaging.send-retry.max-attempts",
					"must be 0 (until the deadline) or positive (was " + maxAttempts + ")");
		}
		if (deadline == null || deadline.isZero() || deadline.isNegative()) {
			throw new HedgeConfigurationException("hedge.messaging.send-retry.deadline", "must be positive");
		}
		if (initialBackoff == null || initialBackoff.isNegative() || initialBackoff.isZero()) {
			throw new HedgeConfigurationException("hedge.messaging.send-retry.initial-backoff", "must be positive");
		}
		if (maxBackoff == null || maxBackoff.compareTo(initialBackoff) < 0) {
			throw new HedgeConfigurationException("hedge.messaging.send-retry.max-backoff",
					"must be at least the initial backoff");
		}
	}

	/**
	 * Retry until the deadline, however many attempts that takes.
	 * @param deadline the deadline
	 * @return the options
	 */
	public static SendOptions untilDeadline(Duration deadline) {
		return new SendOptions(0, deadline, DEFAULTS.initialBackoff(), DEFAULTS.maxBackoff());
	}

}
