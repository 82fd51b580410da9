package dev.hedge.membership;

import java.time.Duration;
import java.util.Objects;

import dev.hedge.common.HedgeConfigurationException;

/**
 * Timings of membership. Immutable.
 *
 * @param heartbeatInterval how often every member heartbeats the leader, and how often the leader sweeps
 * ({@code hedge.membership.heartbeat-interval}); shorter means faster joins and removals for more small calls. A new
 * member shows in every list within about one interval.
 * @param memberTimeout how long the leader waits without a heartbeat before it removes a member
 * ({@code hedge.membership.member-timeout}); a dead member leaves every list within this plus one interval. Longer
 * tolerates longer pauses and partitions without churn.
 */
public record MembershipOptions(Duration heartbeatInterval, Duration memberTimeout) {

	/** Heartbeat every 1 s, remove after 5 s of silence. */
	public static final MembershipOptions DEFAULTS = new MembershipOptions(Duration.ofSeconds(1), Duration.ofSeconds(5));

	/**
	 * Validates the timings.
	 * @param heartbeatInterval the interval
	 * @param memberTimeout the timeout
	 */
	public MembershipOptions {
		Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
		Objects.requireNonNull(memberTimeout, "memberTimeout");
		if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
			throw new HedgeConfigurationException("hedge.membership.heartbeat-interval",
					"must be positive (was " + heartbeatInterval + ")");
		}
		if (memberTimeout.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
			throw new HedgeConfigurationException("hedge.membership.member-timeout",
					"must be at least twice hedge.membership.heartbeat-interval (" + memberTimeout + " < 2 x "
							+ heartbeatInterval + ")");
		}
	}

}
