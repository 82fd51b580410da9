package dev.hedge.election;

import java.time.Duration;
import java.util.Objects;

import dev.hedge.common.Durations;
import dev.hedge.common.HedgeConfigurationException;

/**
 * Timings of the lease (reliability-plan.md §2.1). Immutable; build with {@link #builder()}. Notation: L lease, R
 * renew interval, P follower poll interval, G follower grace, ρ clock-drift tolerance, M safety margin.
 *
 * <p>Guarantees that follow from the values: a leader believes it leads only until {@code t_sent + L·(1−ρ) − M}
 * after the last renewal that committed ({@code t_sent} read on the monotonic clock before sending it); a follower
 * takes over only when the database clock says the holder's last heartbeat is older than {@code L + G}; so the two
 * never overlap while the leader's clock runs at least {@code (1−ρ)} of real speed. A crashed leader is replaced
 * within {@code L + G + P}, in practice at {@code L + G} plus one takeover (a follower whose read saw the lease about
 * to lapse reads again when it does); a leader that closes releases the lease, and a follower takes over at its next
 * poll (or at once when told over the member transport).
 *
 * <p>Only L needs choosing: R, P, G, M and the store timeout default to fractions of it (R {@value #RENEW_SHARE} L,
 * P and G {@value #POLL_SHARE} L, M {@value #MARGIN_SHARE} L, store timeout {@value #RENEW_SHARE} L but at most
 * 3 s), which at the default 10 s lease gives R 3 s, P 1 s, G 1 s, M 250 ms and 3 s. A value set explicitly is kept,
 * and contradictory explicit values fail, naming the property.
 */
public final class ElectionOptions {

	/** Default lease: 10 s. */
	public static final Duration DEFAULT_LEASE = Duration.ofSeconds(10);

	/** Default renew interval and store timeout as a share of the lease. */
	static final double RENEW_SHARE = 0.3;

	/** Default poll interval and grace as a share of the lease. */
	static final double POLL_SHARE = 0.1;

	/** Default safety margin as a share of the lease. */
	static final double MARGIN_SHARE = 0.025;

	/** Longest default store timeout. */
	static final Duration MAX_DEFAULT_STORE_TIMEOUT = Duration.ofSeconds(3);

	private final Duration leaseDuration;

	private final Duration renewInterval;

	private final Duration pollInterval;

	private final Duration grace;

	private final double clockDrift;

	private final Duration safetyMargin;

	private final Duration storeTimeout;

	private ElectionOptions(Builder builder) {
		Duration lease = builder.leaseDuration;
		this.leaseDuration = lease;
		this.renewInterval = orShare(builder.renewInterval, lease, RENEW_SHARE);
		this.pollInterval = orShare(builder.pollInterval, lease, POLL_SHARE);
		this.grace = orShare(builder.grace, lease, POLL_SHARE);
		this.clockDrift = builder.clockDrift;
		this.safetyMargin = orShare(builder.safetyMargin, lease, MARGIN_SHARE);
		this.storeTimeout = (builder.storeTimeout != null) ? builder.storeTimeout
				: Durations.min(share(lease, RENEW_SHARE), MAX_DEFAULT_STORE_TIMEOUT);
	}

	private static Duration orShare(Duration explicit, Duration lease, double share) {
		return (explicit != null) ? explicit : share(lease, share);
	}

	private static Duration share(Duration lease, double share) {
		return Duration.ofMillis(Math.round(lease.toMillis() * share));
	}

	/**
	 * A builder with the defaults (L 10 s; R, P, G, M and the store timeout derived from L; ρ 0.001).
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * The defaults.
	 * @return options with every default
	 */
	public static ElectionOptions defaults() {
		return builder().build();
	}

	/**
	 * A builder holding these values, derived ones included (they become explicit: a new lease set on it does not
	 * re-derive them).
	 * @return a new builder
	 */
	public Builder toBuilder() {
		return new Builder().leaseDuration(this.leaseDuration)
			.renewInterval(this.renewInterval)
			.pollInterval(this.pollInterval)
			.grace(this.grace)
			.clockDrift(this.clockDrift)
			.safetyMargin(this.safetyMargin)
			.storeTimeout(this.storeTimeout);
	}

	/**
	 * L: how long a renewal keeps the lease. Longer leases survive longer store hiccups without a leader change but
	 * make crash failover slower (about {@code L + G + P}). Stored in the lease row, so followers judge a holder by the
	 * lease it promised, not by their own setting.
	 * @return the lease
	 */
	public Duration leaseDuration() {
		return this.leaseDuration;
	}

	/**
	 * R: how often the leader renews. Shorter means more store writes but more retries before the leader's own
	 * deadline; it must be well below {@code L·(1−ρ) − M} (about L/3 gives three attempts per lease).
	 * @return the renew interval
	 */
	public Duration renewInterval() {
		return this.renewInterval;
	}

	/**
	 * P: how often a follower reads the lease row (one strong read each). Shorter means a lease released without a
	 * notice is seen sooner, and more reads per idle minute; crash failover stays about {@code L + G} (a read that
	 * saw the lease about to lapse is followed by one when it does).
	 * @return the poll interval
	 */
	public Duration pollInterval() {
		return this.pollInterval;
	}

	/**
	 * G: extra time, beyond L, a follower waits after the holder's last heartbeat (by the database clock) before it
	 * takes over. It covers the leader's clock drift and the margin; more grace is safer and slower to fail over.
	 * @return the grace
	 */
	public Duration grace() {
		return this.grace;
	}

	/**
	 * ρ: the largest rate error of the leader's monotonic clock that leadership stays exclusive under. Larger values
	 * shorten how long a leader trusts a renewal.
	 * @return the tolerated drift, as a fraction (0.001 = 1000 ppm)
	 */
	public double clockDrift() {
		return this.clockDrift;
	}

	/**
	 * M: time the leader gives up before the end of what a renewal proves, to cover scheduling delays on its own
	 * machine.
	 * @return the margin
	 */
	public Duration safetyMargin() {
		return this.safetyMargin;
	}

	/**
	 * Deadline of each store call the election makes (renewals use the smaller of this and L). A shorter deadline
	 * frees the loop sooner when the store hangs; too short fails calls that would have succeeded.
	 * @return the store call deadline
	 */
	public Duration storeTimeout() {
		return this.storeTimeout;
	}

	/**
	 * How long after sending a renewal that commits the leader may act: {@code L·(1−ρ) − M}.
	 * @return the validity window of one renewal
	 */
	public Duration validity() {
		long nanos = (long) (this.leaseDuration.toNanos() * (1 - this.clockDrift)) - this.safetyMargin.toNanos();
		return Duration.ofNanos(nanos);
	}

	/**
	 * The bound on crash failover, {@code L + G + P}.
	 * @return the bound
	 */
	public Duration failoverBound() {
		return this.leaseDuration.plus(this.grace).plus(this.pollInterval);
	}

	@Override
	public String toString() {
		return "ElectionOptions[L=" + this.leaseDuration + ", R=" + this.renewInterval + ", P=" + this.pollInterval
				+ ", G=" + this.grace + ", rho=" + this.clockDrift + ", M=" + this.safetyMargin + ", storeTimeout="
				+ this.storeTimeout + "]";
	}

	/** Builds {@link ElectionOptions}; {@link #build()} validates and names the property at fault. */
	public static final class Builder {

		private Duration leaseDuration = DEFAULT_LEASE;

		private Duration renewInterval;

		private Duration pollInterval;

		private Duration grace;

		private double clockDrift = 0.001;

		private Duration safetyMargin;

		private Duration storeTimeout;

		private Builder() {
		}

		/**
		 * Sets L ({@code hedge.election.lease-duration}).
		 * @param value the lease
		 * @return this builder
		 */
		public Builder leaseDuration(Duration value) {
			this.leaseDuration = value;
			return this;
		}

		/**
		 * Sets R ({@code hedge.election.renew-interval}); {@code null} (the default) derives it from L: 0.3 × L.
		 * @param value the renew interval
		 * @return this builder
		 */
		public Builder renewInterval(Duration value) {
			this.renewInterval = value;
			return this;
		}

		/**
		 * Sets P ({@code hedge.election.poll-interval}); {@code null} (the default) derives it from L: 0.1 × L.
		 * @param value the poll interval
		 * @return this builder
		 */
		public Builder pollInterval(Duration value) {
			this.pollInterval = value;
			return this;
		}

		/**
		 * Sets G ({@code hedge.election.grace}); {@code null} (the default) derives it from L: 0.1 × L.
		 * @param value the grace
		 * @return this builder
		 */
		public Builder grace(Duration value) {
			this.grace = value;
			return this;
		}

		/**
		 * Sets ρ ({@code hedge.election.clock-drift}).
		 * @param value the tolerated drift as a fraction
		 * @return this builder
		 */
		public Builder clockDrift(double value) {
			this.clockDrift = value;
			return this;
		}

		/**
		 * Sets M ({@code hedge.election.safety-margin}); {@code null} (the default) derives it from L: 0.025 × L.
		 * @param value the margin
		 * @return this builder
		 */
		public Builder safetyMargin(Duration value) {
			this.safetyMargin = value;
			return this;
		}

		/**
		 * Sets the store call deadline ({@code hedge.election.store-timeout}); {@code null} (the default) derives it from L: 0.3 × L, at most 3 s.
		 * @param value the deadline
		 * @return this builder
		 */
		public Builder storeTimeout(Duration value) {
			this.storeTimeout = value;
			return this;
		}

		/**
		 * Validates and builds.
		 * @return the options
		 * @throws HedgeConfigurationException naming the property at fault
		 */
		public ElectionOptions build() {
			positive("hedge.election.lease-duration", this.leaseDuration);
			if (!(this.clockDrift >= 0 && this.clockDrift < 0.5)) {
				throw new HedgeConfigurationException("hedge.election.clock-drift",
						"must be at least 0 and below 0.5 (was " + this.clockDrift + ")");
			}
			ElectionOptions options = new ElectionOptions(this);
			positive("hedge.election.renew-interval", options.renewInterval);
			positive("hedge.election.poll-interval", options.pollInterval);
			positive("hedge.election.store-timeout", options.storeTimeout);
			notNegative("hedge.election.grace", options.grace);
			notNegative("hedge.election.safety-margin", options.safetyMargin);
			if (options.renewInterval.compareTo(options.leaseDuration) >= 0) {
				throw new HedgeConfigurationException("hedge.election.renew-interval",
						"must be shorter than hedge.election.lease-duration (" + options.renewInterval + " >= "
								+ options.leaseDuration + ")");
			}
			if (options.validity().compareTo(options.renewInterval) <= 0) {
				throw new HedgeConfigurationException("hedge.election.renew-interval",
						"must be shorter than what one renewal proves, hedge.election.lease-duration x (1 - clock-drift)"
								+ " - safety-margin = " + options.validity() + " (was " + options.renewInterval + ")");
			}
			if (options.grace.isZero() && options.safetyMargin.isZero() && options.clockDrift == 0) {
				throw new HedgeConfigurationException("hedge.election.grace",
						"grace, safety-margin and clock-drift are all zero: nothing would absorb a clock that runs"
								+ " slow or a delayed store call, and leadership could overlap; give at least one a"
								+ " value (the defaults derive them from the lease)");
			}
			return options;
		}

		private static void positive(String property, Duration value) {
			Objects.requireNonNull(value, property);
			if (value.isNegative() || value.isZero()) {
				throw new HedgeConfigurationException(property, "must be positive (was " + value + ")");
			}
		}

		private static void notNegative(String property, Duration value) {
			Objects.requireNonNull(value, property);
			if (value.isNegative()) {
				throw new HedgeConfigurationException(property, "must not be negative (was " + value + ")");
			}
		}

	}

}
