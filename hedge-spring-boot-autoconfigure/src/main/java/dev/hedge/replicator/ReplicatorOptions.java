package dev.hedge.replicator;

import java.time.Duration;
import java.util.Objects;
import java.util.function.UnaryOperator;

import dev.hedge.common.HedgeConfigurationException;

/**
 * Settings of the replicated data ({@code hedge.crdt.*}). Immutable; build with {@link #builder()}, whose
 * {@link Builder#build()} validates and names the property at fault.
 *
 * <ul>
 * <li>{@code deltaInterval} (100 ms): how often local updates are pushed to every member, batched; a write with
 * MAJORITY or ALL consistency is pushed at once;</li>
 * <li>{@code gossipInterval} (1 s): how often a member compares digests with a random member and repairs what
 * differs (members that missed a push are repaired first, as soon as they answer);</li>
 * <li>{@code callTimeout} (2 s): deadline of one push or repair call (a digest call, which is small, gets half the
 * gossip interval if that is shorter, so a call stuck on a broken link is given up and retried soon);</li>
 * <li>{@code writeConsistency} / {@code readConsistency} (LOCAL): what updates and reads without an explicit
 * {@link Consistency} use;</li>
 * <li>{@code durable} (off), {@code flushInterval} (100 ms), {@code compactAfter} (8 MiB): whether each member keeps
 * its replica in the store (appending changes every flush interval, writing its whole state again once it appended
 * that much more than its last whole state);</li>
 * <li>{@code pruningInterval} (30 s) and {@code pruningDelay} (5 min): how often the leader looks for state of
 * replicas that are gone for good, and how long a member must have been absent before its state is folded into the
 * leader's (a restarted member's previous incarnation is folded without waiting);</li>
 * <li>{@code notifyInterval} (100 ms): listeners hear of a name's changes at most once per interval;</li>
 * <li>{@code peerAddresses} (the member id itself): the address dialed for a member, for proxies and tests.</li>
 * </ul>
 */
public final class ReplicatorOptions {

	private static final ReplicatorOptions DEFAULTS = builder().build();

	private final Duration deltaInterval;

	private final Duration gossipInterval;

	private final Duration callTimeout;

	private final Consistency writeConsistency;

	private final Consistency readConsistency;

	private final boolean durable;

	private final Duration flushInterval;

	private final long compactAfter;

	private final Duration pruningInterval;

	private final Duration pruningDelay;

	private final Duration notifyInterval;

	private final UnaryOperator<String> peerAddresses;

	private ReplicatorOptions(Builder builder) {
		this.deltaInterval = builder.deltaInterval;
		this.gossipInterval = builder.gossipInterval;
		this.callTimeout = builder.callTimeout;
		this.writeConsistency = builder.writeConsistency;
		this.readConsistency = builder.readConsistency;
		this.durable = builder.durable;
		this.flushInterval = builder.flushInterval;
		this.compactAfter = builder.compactAfter;
		this.pruningInterval = builder.pruningInterval;
		this.pruningDelay = builder.pruningDelay;
		this.notifyInterval = builder.notifyInterval;
		this.peerAddresses = builder.peerAddresses;
	}

	/**
	 * The defaults.
	 * @return the default options
	 */
	public static ReplicatorOptions defaults() {
		return DEFAULTS;
	}

	/**
	 * A builder with the defaults.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * A builder holding these options.
	 * @return a new builder
	 */
	public Builder toBuilder() {
		Builder builder = new Builder();
		builder.deltaInterval = this.deltaInterval;
		builder.gossipInterval = this.gossipInterval;
		builder.callTimeout = this.callTimeout;
		builder.writeConsistency = this.writeConsistency;
		builder.readConsistency = this.readConsistency;
		builder.durable = this.durable;
		builder.flushInterval = this.flushInterval;
		builder.compactAfter = this.compactAfter;
		builder.pruningInterval = this.pruningInterval;
		builder.pruningDelay = this.pruningDelay;
		builder.notifyInterval = this.notifyInterval;
		builder.peerAddresses = this.peerAddresses;
		return builder;
	}

	/** @return how often local updates are pushed */
	public Duration deltaInterval() {
		return this.deltaInterval;
	}

	/** @return how often a member compares digests with a random member */
	public Duration gossipInterval() {
		return this.gossipInterval;
	}

	/** @return the deadline of one push or digest call */
	public Duration callTimeout() {
		return this.callTimeout;
	}

	/** @return the consistency of updates that name none */
	public Consistency writeConsistency() {
		return this.writeConsistency;
	}

	/** @return the consistency of reads that name none */
	public Consistency readConsistency() {
		return this.readConsistency;
	}

	/** @return whether each member keeps its replica in the store */
	public boolean durable() {
		return this.durable;
	}

	/** @return how often a durable member appends its changes */
	public Duration flushInterval() {
		return this.flushInterval;
	}

	/** @return how many bytes of changes a durable member appends before writing its whole state again */
	public long compactAfter() {
		return this.compactAfter;
	}

	/** @return how often the leader looks for replicas to prune */
	public Duration pruningInterval() {
		return this.pruningInterval;
	}

	/** @return how long a member must have been absent before its state is pruned */
	public Duration pruningDelay() {
		return this.pruningDelay;
	}

	/** @return how often listeners hear of a name's changes at most */
	public Duration notifyInterval() {
		return this.notifyInterval;
	}

	/**
	 * The address to dial for a member.
	 * @param member the member id
	 * @return the address (the id itself unless {@link Builder#peerAddresses} changed it)
	 */
	public String peerAddress(String member) {
		return this.peerAddresses.apply(member);
	}

	/** Builds {@link ReplicatorOptions}. Not thread-safe. */
	public static final class Builder {

		private Duration deltaInterval = Duration.ofMillis(100);

		private Duration gossipInterval = Duration.ofSeconds(1);

		private Duration callTimeout = Duration.ofSeconds(2);

		private Consistency writeConsistency = Consistency.local();

		private Consistency readConsistency = Consistency.local();

		private boolean durable;

		private Duration flushInterval = Duration.ofMillis(100);

		private long compactAfter = 8L << 20;

		private Duration pruningInterval = Duration.ofSeconds(30);

		private Duration pruningDelay = Duration.ofMinutes(5);

		private Duration notifyInterval = Duration.ofMillis(100);

		private UnaryOperator<String> peerAddresses = UnaryOperator.identity();

		private Builder() {
		}

		/**
		 * @param value how often local updates are pushed ({@code hedge.crdt.delta-interval})
		 * @return this builder
		 */
		public Builder deltaInterval(Duration value) {
			this.deltaInterval = value;
			return this;
		}

		/**
		 * @param value how often a member compares digests with a random member ({@code hedge.crdt.gossip-interval})
		 * @return this builder
		 */
		public Builder gossipInterval(Duration value) {
			this.gossipInterval = value;
			return this;
		}

		/**
		 * @param value the deadline of one push or digest call ({@code hedge.crdt.call-timeout})
		 * @return this builder
		 */
		public Builder callTimeout(Duration value) {
			this.callTimeout = value;
			return this;
		}

		/**
		 * @param value the consistency of updates that name none ({@code hedge.crdt.write-consistency})
		 * @return this builder
		 */
		public Builder writeConsistency(Consistency value) {
			this.writeConsistency = Objects.requireNonNull(value);
			return this;
		}

		/**
		 * @param value the consistency of reads that name none ({@code hedge.crdt.read-consistency})
		 * @return this builder
		 */
		public Builder readConsistency(Consistency value) {
			this.readConsistency = Objects.requireNonNull(value);
			return this;
		}

		/**
		 * @param value whether each member keeps its replica in the store ({@code hedge.crdt.durable.enabled})
		 * @return this builder
		 */
		public Builder durable(boolean value) {
			this.durable = value;
			return this;
		}

		/**
		 * @param value how often a durable member appends its changes ({@code hedge.crdt.durable.flush-interval})
		 * @return this builder
		 */
		public Builder flushInterval(Duration value) {
			this.flushInterval = value;
			return this;
		}

		/**
		 * @param bytes how many bytes of changes a durable member appends before writing its whole state again
		 * ({@code hedge.crdt.durable.compact-after})
		 * @return this builder
		 */
		public Builder compactAfter(long bytes) {
			this.compactAfter = bytes;
			return this;
		}

		/**
		 * @param value how often the leader looks for replicas to prune ({@code hedge.crdt.pruning.interval})
		 * @return this builder
		 */
		public Builder pruningInterval(Duration value) {
			this.pruningInterval = value;
			return this;
		}

		/**
		 * @param value how long a member must have been absent before its state is pruned
		 * ({@code hedge.crdt.pruning.delay})
		 * @return this builder
		 */
		public Builder pruningDelay(Duration value) {
			this.pruningDelay = value;
			return this;
		}

		/**
		 * @param value how often listeners hear of a name's changes at most ({@code hedge.crdt.notify-interval})
		 * @return this builder
		 */
		public Builder notifyInterval(Duration value) {
			this.notifyInterval = value;
			return this;
		}

		/**
		 * @param value the address to dial for a member id (default: the id itself), for proxies and tests
		 * @return this builder
		 */
		public Builder peerAddresses(UnaryOperator<String> value) {
			this.peerAddresses = Objects.requireNonNull(value);
			return this;
		}

		/**
		 * Validates and builds.
		 * @return the options
		 * @throws HedgeConfigurationException naming the property at fault
		 */
		public ReplicatorOptions build() {
			positive("hedge.crdt.delta-interval", this.deltaInterval);
			positive("hedge.crdt.gossip-interval", this.gossipInterval);
			positive("hedge.crdt.call-timeout", this.callTimeout);
			positive("hedge.crdt.flush-interval", this.flushInterval);
			positive("hedge.crdt.pruning-interval", this.pruningInterval);
			positive("hedge.crdt.notify-interval", this.notifyInterval);
			Objects.requireNonNull(this.pruningDelay, "pruningDelay");
			if (this.pruningDelay.isNegative()) {
				throw new HedgeConfigurationException("hedge.crdt.pruning-delay",
						"must not be negative (was " + this.pruningDelay + ")");
			}
			if (this.compactAfter < ReplicaSnapshotStore.MAX_ROW_BYTES) {
				throw new HedgeConfigurationException("hedge.crdt.compact-after",
						"must be at least 1MB (was " + this.compactAfter + " bytes)");
			}
			return new ReplicatorOptions(this);
		}

		private static void positive(String property, Duration value) {
			if (value == null || value.isNegative() || value.isZero()) {
				throw new HedgeConfigurationException(property, "must be positive (was " + value + ")");
			}
		}

	}

}
