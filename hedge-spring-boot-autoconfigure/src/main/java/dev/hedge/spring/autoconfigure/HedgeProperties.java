package dev.hedge.spring.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.util.unit.DataSize;

import dev.hedge.election.ElectionOptions;
import dev.hedge.kv.KeyValueOptions;
import dev.hedge.membership.MembershipOptions;
import dev.hedge.messaging.MessagingOptions;
import dev.hedge.messaging.SendOptions;
import dev.hedge.replicator.Consistency;
import dev.hedge.replicator.ReplicatorOptions;
import dev.hedge.store.StoreKind;
import dev.hedge.store.TableNames;
import dev.hedge.transport.grpc.GroupSecret;
import dev.hedge.transport.grpc.GrpcLimits;
import dev.hedge.transport.grpc.MemberSecurity;
import dev.hedge.transport.grpc.MemberTls;

/**
 * Configuration of hedge ({@code hedge.*}). Only the auto-configuration reads it; it copies the values onto the core's
 * options, whose validation names the property at fault.
 */
@ConfigurationProperties("hedge")
public class HedgeProperties {

	/**
	 * Whether hedge is enabled. When false, no hedge bean is created.
	 */
	private boolean enabled = true;

	/**
	 * Name of the group this application's instances form (one lease row, one member list). Defaults to
	 * spring.application.name.
	 */
	private String group;

	/**
	 * Which store holds the lease and the log: auto (Spanner when spring-cloud-gcp's Spanner is configured, else the
	 * application's DataSource when there is one and it is not an embedded database, else the embedded database),
	 * spanner, jdbc (the application's DataSource: PostgreSQL), or embedded.
	 */
	private StoreKind store = StoreKind.AUTO;

	private final Node node = new Node();

	private final Election election = new Election();

	private final Membership membership = new Membership();

	private final Messaging messaging = new Messaging();

	private final Transport transport = new Transport();

	private final Kv kv = new Kv();

	private final Spanner spanner = new Spanner();

	private final Jdbc jdbc = new Jdbc();

	private final Embedded embedded = new Embedded();

	private final OnLeader onLeader = new OnLeader();

	private final Sos sos = new Sos();

	private final Security security = new Security();

	private final Crdt crdt = new Crdt();

	private final Chain chain = new Chain();

	/**
	 * Semaphores to create at start, by name; each becomes a HedgeSemaphore bean of that name.
	 */
	private final Map<String, SemaphoreSpec> semaphores = new LinkedHashMap<>();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getGroup() {
		return this.group;
	}

	public void setGroup(String group) {
		this.group = group;
	}

	public StoreKind getStore() {
		return this.store;
	}

	public void setStore(StoreKind store) {
		this.store = store;
	}

	public Node getNode() {
		return this.node;
	}

	public Election getElection() {
		return this.election;
	}

	public Membership getMembership() {
		return this.membership;
	}

	public Messaging getMessaging() {
		return this.messaging;
	}

	public Transport getTransport() {
		return this.transport;
	}

	public Kv getKv() {
		return this.kv;
	}

	public Spanner getSpanner() {
		return this.spanner;
	}

	public Jdbc getJdbc() {
		return this.jdbc;
	}

	public Embedded getEmbedded() {
		return this.embedded;
	}

	public OnLeader getOnLeader() {
		return this.onLeader;
	}

	public Sos getSos() {
		return this.sos;
	}

	public Security getSecurity() {
		return this.security;
	}

	public Crdt getCrdt() {
		return this.crdt;
	}

	ReplicatorOptions replicatorOptions() {
		return ReplicatorOptions.builder()
			.deltaInterval(this.crdt.deltaInterval)
			.gossipInterval(this.crdt.gossipInterval)
			.callTimeout(this.crdt.callTimeout)
			.writeConsistency(consistency("hedge.crdt.write-consistency", this.crdt.writeConsistency))
			.readConsistency(consistency("hedge.crdt.read-consistency", this.crdt.readConsistency))
			.durable(this.crdt.durable)
			.flushInterval(this.crdt.flushInterval)
			.compactAfter(this.crdt.compactAfter.toBytes())
			.pruningInterval(this.crdt.pruningInterval)
			.pruningDelay(this.crdt.pruningDelay)
			.notifyInterval(this.crdt.notifyInterval)
			.build();
	}

	private Consistency consistency(String property, Consistency.Level level) {
		if (level == null) {
			throw new dev.hedge.common.HedgeConfigurationException(property, "must be local, majority or all");
		}
		return switch (level) {
			case LOCAL -> Consistency.local();
			case MAJORITY -> Consistency.majority(this.crdt.consistencyTimeout);
			case ALL -> Consistency.all(this.crdt.consistencyTimeout);
		};
	}

	public Chain getChain() {
		return this.chain;
	}

	java.util.function.IntFunction<dev.hedge.sos.SpillOverOptions> spillOverOptions() {
		long memory = this.sos.memoryLimit.toBytes();
		long disk = this.sos.diskLimit.toBytes();
		return (port) -> new dev.hedge.sos.SpillOverOptions(memory, disk,
				(this.sos.directory != null) ? this.sos.directory : Path.of(".hedge", "sos", Integer.toString(port)),
				this.sos.ttl);
	}

	public Map<String, SemaphoreSpec> getSemaphores() {
		return this.semaphores;
	}

	ElectionOptions electionOptions() {
		return ElectionOptions.builder()
			.leaseDuration(this.election.leaseDuration)
			.renewInterval(this.election.renewInterval)
			.pollInterval(this.election.pollInterval)
			.grace(this.election.grace)
			.clockDrift(this.election.clockDrift)
			.safetyMargin(this.election.safetyMargin)
			.storeTimeout(this.election.storeTimeout)
			.build();
	}

	MembershipOptions membershipOptions() {
		return new MembershipOptions(this.membership.heartbeatInterval, this.membership.memberTimeout);
	}

	MessagingOptions messagingOptions() {
		Messaging.SendRetry retry = this.messaging.sendRetry;
		return new MessagingOptions(this.messaging.callTimeout, this.messaging.streamTimeout,
				new SendOptions(retry.maxAttempts, retry.deadline, retry.initialBackoff, retry.maxBackoff));
	}

	GrpcLimits grpcLimits() {
		return new GrpcLimits(toInt("hedge.transport.max-message-size", this.transport.maxMessageSize),
				toInt("hedge.transport.max-metadata-size", this.transport.maxMetadataSize),
				this.transport.maxConcurrentCallsPerConnection);
	}

	KeyValueOptions keyValueOptions() {
		return new KeyValueOptions(this.kv.putTimeout, this.kv.maxBatch, this.kv.maxQueued,
				toInt("hedge.kv.max-key-size", this.kv.maxKeySize), toInt("hedge.kv.max-value-size", this.kv.maxValueSize),
				this.kv.maxBatchSize.toBytes());
	}

	/**
	 * The member security these properties describe.
	 * @param bundles the application's SSL bundles (needed only with hedge.security.ssl-bundle)
	 */
	MemberSecurity memberSecurity(java.util.function.Supplier<SslBundles> bundles) {
		List<String> secrets = this.security.secret.stream().filter((s) -> s != null && !s.isBlank()).toList();
		boolean tls = this.security.sslBundle != null && !this.security.sslBundle.isBlank();
		MemberSecurity security = (this.security.mode == MemberSecurity.Mode.NONE) ? MemberSecurity.none()
				: MemberSecurity.auto();
		if (!secrets.isEmpty()) {
			security = security.withSecret(GroupSecret.of(secrets, this.security.maxClockSkew));
		}
		if (tls) {
			security = security.withTls(memberTls(bundles.get(), this.security.sslBundle.strip())
				.serverName(this.security.serverName));
		}
		return security;
	}

	private static MemberTls memberTls(SslBundles bundles, String name) {
		if (bundles == null) {
			throw new dev.hedge.common.HedgeConfigurationException("hedge.security.ssl-bundle",
					"no SSL bundles are configured (spring.ssl.bundle.*)");
		}
		SslBundle bundle;
		try {
			bundle = bundles.getBundle(name);
		}
		catch (NoSuchSslBundleException ex) {
			throw new dev.hedge.common.HedgeConfigurationException("hedge.security.ssl-bundle", "no SSL bundle named '"
					+ name + "': configure spring.ssl.bundle.pem." + name + " (or .jks." + name + ")");
		}
		if (bundle.getStores().getKeyStore() == null || bundle.getStores().getTrustStore() == null) {
			throw new dev.hedge.common.HedgeConfigurationException("hedge.security.ssl-bundle", "SSL bundle '" + name
					+ "' needs both a keystore (this member's certificate and key) and a truststore (the CA members'"
					+ " certificates chain to) for mutual TLS");
		}
		return MemberTls.of(bundle.getManagers().getKeyManagerFactory(),
				bundle.getManagers().getTrustManagerFactory());
	}

	TableNames spannerTables() {
		return new TableNames(this.spanner.lockTable, this.spanner.logTable);
	}

	TableNames jdbcTables() {
		return new TableNames(this.jdbc.lockTable, this.jdbc.logTable);
	}

	private static int toInt(String property, DataSize size) {
		if (size == null || size.toBytes() > Integer.MAX_VALUE || size.toBytes() < 0) {
			throw new dev.hedge.common.HedgeConfigurationException(property, "must be between 0 and 2GB (was " + size + ")");
		}
		return (int) size.toBytes();
	}

	/** How members authenticate each other's calls (README "Member authentication"). */
	public static class Security {

		/**
		 * auto: authenticate with the secret and/or SSL bundle configured, and with neither accept member calls from
		 * loopback only (a member advertising another address then refuses to start); none: accept unauthenticated
		 * member calls on any address (a network you trust).
		 */
		private MemberSecurity.Mode mode = MemberSecurity.Mode.AUTO;

		/**
		 * Group secrets (at least 32 characters each) that authenticate every member call with an HMAC; the first
		 * signs, all are accepted (list two while rotating).
		 */
		private List<String> secret = new ArrayList<>();

		/**
		 * SSL bundle (spring.ssl.bundle.*) for mutual TLS between members: it serves the gRPC server (client
		 * certificates required) and hedge's channels to other members.
		 */
		private String sslBundle;

		/**
		 * Name to verify in other members' certificates instead of the address dialed (a certificate shared by the
		 * group). Defaults to the peer's address, which the certificate then lists as an IP SAN.
		 */
		private String serverName;

		/** How far a signed call's time may be from the receiver's clock (calls outside are refused). */
		private Duration maxClockSkew = Duration.ofSeconds(10);

		public MemberSecurity.Mode getMode() {
			return this.mode;
		}

		public void setMode(MemberSecurity.Mode mode) {
			this.mode = mode;
		}

		public List<String> getSecret() {
			return this.secret;
		}

		public void setSecret(List<String> secret) {
			this.secret = secret;
		}

		public String getSslBundle() {
			return this.sslBundle;
		}

		public void setSslBundle(String sslBundle) {
			this.sslBundle = sslBundle;
		}

		public String getServerName() {
			return this.serverName;
		}

		public void setServerName(String serverName) {
			this.serverName = serverName;
		}

		public Duration getMaxClockSkew() {
			return this.maxClockSkew;
		}

		public void setMaxClockSkew(Duration maxClockSkew) {
			this.maxClockSkew = maxClockSkew;
		}

	}

	/** This member's identity. */
	public static class Node {

		/**
		 * Host other members reach this one at; with the gRPC server port it forms the member id. Defaults to the
		 * POD_IP environment variable, else (with hedge.security configured) the first site-local IPv4 address, else
		 * 127.0.0.1.
		 */
		private String address;

		/**
		 * Port of hedge's own gRPC server; used only when the application has no Spring gRPC server (otherwise the
		 * member id uses spring.grpc.server.port).
		 */
		private int port = 9090;

		public int getPort() {
			return this.port;
		}

		public void setPort(int port) {
			this.port = port;
		}

		public String getAddress() {
			return this.address;
		}

		public void setAddress(String address) {
			this.address = address;
		}

	}

	/** Lease timings; see ElectionOptions for the trade-off of each. */
	public static class Election {

		/**
		 * How long a renewal keeps the lease (L). Crash failover takes up to lease + grace + poll interval.
		 */
		private Duration leaseDuration = Duration.ofSeconds(10);

		/**
		 * How often the leader renews (R); must be well below lease-duration x (1 - clock-drift) - safety-margin.
		 * Defaults to 0.3 x lease-duration (3s at the default lease).
		 */
		private Duration renewInterval;

		/**
		 * How often a follower reads the lease row (P): shorter means more reads; a crashed leader's lease is taken
		 * over when it lapses whatever P. Defaults to 0.1 x lease-duration (1s at the default lease).
		 */
		private Duration pollInterval;

		/**
		 * Extra time beyond the lease a follower waits, by the database clock, before taking over (G). Defaults to 0.1
		 * x lease-duration (1s at the default lease).
		 */
		private Duration grace;

		/**
		 * Largest rate error of the leader's clock that leadership stays exclusive under, as a fraction.
		 */
		private double clockDrift = 0.001;

		/**
		 * Time the leader gives up before the end of what a renewal proves (M). Defaults to 0.025 x lease-duration
		 * (250ms at the default lease).
		 */
		private Duration safetyMargin;

		/**
		 * Deadline of each store call of the election. Defaults to 0.3 x lease-duration, at most 3s.
		 */
		private Duration storeTimeout;

		public Duration getLeaseDuration() {
			return this.leaseDuration;
		}

		public void setLeaseDuration(Duration leaseDuration) {
			this.leaseDuration = leaseDuration;
		}

		public Duration getRenewInterval() {
			return this.renewInterval;
		}

		public void setRenewInterval(Duration renewInterval) {
			this.renewInterval = renewInterval;
		}

		public Duration getPollInterval() {
			return this.pollInterval;
		}

		public void setPollInterval(Duration pollInterval) {
			this.pollInterval = pollInterval;
		}

		public Duration getGrace() {
			return this.grace;
		}

		public void setGrace(Duration grace) {
			this.grace = grace;
		}

		public double getClockDrift() {
			return this.clockDrift;
		}

		public void setClockDrift(double clockDrift) {
			this.clockDrift = clockDrift;
		}

		public Duration getSafetyMargin() {
			return this.safetyMargin;
		}

		public void setSafetyMargin(Duration safetyMargin) {
			this.safetyMargin = safetyMargin;
		}

		public Duration getStoreTimeout() {
			return this.storeTimeout;
		}

		public void setStoreTimeout(Duration storeTimeout) {
			this.storeTimeout = storeTimeout;
		}

	}

	/** Membership timings. */
	public static class Membership {

		/**
		 * How often every member heartbeats the leader, and how often the leader sweeps out silent members.
		 */
		private Duration heartbeatInterval = Duration.ofSeconds(1);

		/**
		 * How long the leader waits without a heartbeat before it removes a member (and reclaims its permits).
		 */
		private Duration memberTimeout = Duration.ofSeconds(5);

		public Duration getHeartbeatInterval() {
			return this.heartbeatInterval;
		}

		public void setHeartbeatInterval(Duration heartbeatInterval) {
			this.heartbeatInterval = heartbeatInterval;
		}

		public Duration getMemberTimeout() {
			return this.memberTimeout;
		}

		public void setMemberTimeout(Duration memberTimeout) {
			this.memberTimeout = memberTimeout;
		}

	}

	/** Messaging deadlines. */
	public static class Messaging {

		/**
		 * Deadline of one send, and of each member's call in a broadcast.
		 */
		private Duration callTimeout = Duration.ofSeconds(5);

		/**
		 * Deadline of a whole stream.
		 */
		private Duration streamTimeout = Duration.ofMinutes(5);

		private final SendRetry sendRetry = new SendRetry();

		public Duration getCallTimeout() {
			return this.callTimeout;
		}

		public void setCallTimeout(Duration callTimeout) {
			this.callTimeout = callTimeout;
		}

		public Duration getStreamTimeout() {
			return this.streamTimeout;
		}

		public void setStreamTimeout(Duration streamTimeout) {
			this.streamTimeout = streamTimeout;
		}

		public SendRetry getSendRetry() {
			return this.sendRetry;
		}

		/** Retry policy of sendToLeader. */
		public static class SendRetry {

			/**
			 * Attempts in total; 0 retries until the deadline.
			 */
			private int maxAttempts = 10;

			/**
			 * Time the whole sendToLeader call may take.
			 */
			private Duration deadline = Duration.ofSeconds(30);

			/**
			 * First pause between attempts; pauses double, randomised by +-50%.
			 */
			private Duration initialBackoff = Duration.ofMillis(100);

			/**
			 * Largest pause between attempts.
			 */
			private Duration maxBackoff = Duration.ofSeconds(2);

			public int getMaxAttempts() {
				return this.maxAttempts;
			}

			public void setMaxAttempts(int maxAttempts) {
				this.maxAttempts = maxAttempts;
			}

			public Duration getDeadline() {
				return this.deadline;
			}

			public void setDeadline(Duration deadline) {
				this.deadline = deadline;
			}

			public Duration getInitialBackoff() {
				return this.initialBackoff;
			}

			public void setInitialBackoff(Duration initialBackoff) {
				this.initialBackoff = initialBackoff;
			}

			public Duration getMaxBackoff() {
				return this.maxBackoff;
			}

			public void setMaxBackoff(Duration maxBackoff) {
				this.maxBackoff = maxBackoff;
			}

		}

	}

	/** Limits of hedge's gRPC traffic. */
	public static class Transport {

		/**
		 * Largest message a member accepts or sends (also applied to the application's gRPC server).
		 */
		private DataSize maxMessageSize = DataSize.ofMegabytes(4);

		/**
		 * Largest metadata (headers) a member accepts.
		 */
		private DataSize maxMetadataSize = DataSize.ofKilobytes(16);

		/**
		 * Calls one connection may have in flight.
		 */
		private int maxConcurrentCallsPerConnection = 1024;

		public DataSize getMaxMessageSize() {
			return this.maxMessageSize;
		}

		public void setMaxMessageSize(DataSize maxMessageSize) {
			this.maxMessageSize = maxMessageSize;
		}

		public DataSize getMaxMetadataSize() {
			return this.maxMetadataSize;
		}

		public void setMaxMetadataSize(DataSize maxMetadataSize) {
			this.maxMetadataSize = maxMetadataSize;
		}

		public int getMaxConcurrentCallsPerConnection() {
			return this.maxConcurrentCallsPerConnection;
		}

		public void setMaxConcurrentCallsPerConnection(int maxConcurrentCallsPerConnection) {
			this.maxConcurrentCallsPerConnection = maxConcurrentCallsPerConnection;
		}

	}

	/** The key/value log. */
	public static class Kv {

		/**
		 * How long a put may take, retries and leader changes included.
		 */
		private Duration putTimeout = Duration.ofSeconds(10);

		/**
		 * Most puts committed in one transaction by the leader; 1 disables group commit.
		 */
		private int maxBatch = 256;

		/**
		 * Most puts waiting on the leader before further puts are refused (retryably).
		 */
		private int maxQueued = 10000;

		/**
		 * Largest key, in UTF-8 bytes.
		 */
		private DataSize maxKeySize = DataSize.ofKilobytes(4);

		/**
		 * Largest value, in UTF-8 bytes.
		 */
		private DataSize maxValueSize = DataSize.ofMegabytes(1);

		/**
		 * Most data committed in one transaction by the leader (Spanner refuses transactions over 100MB, and its time
		 * index stores each value twice); a put that the database refuses for its data fails alone.
		 */
		private DataSize maxBatchSize = DataSize.ofMegabytes(32);

		public Duration getPutTimeout() {
			return this.putTimeout;
		}

		public void setPutTimeout(Duration putTimeout) {
			this.putTimeout = putTimeout;
		}

		public int getMaxBatch() {
			return this.maxBatch;
		}

		public void setMaxBatch(int maxBatch) {
			this.maxBatch = maxBatch;
		}

		public int getMaxQueued() {
			return this.maxQueued;
		}

		public void setMaxQueued(int maxQueued) {
			this.maxQueued = maxQueued;
		}

		public DataSize getMaxKeySize() {
			return this.maxKeySize;
		}

		public void setMaxKeySize(DataSize maxKeySize) {
			this.maxKeySize = maxKeySize;
		}

		public DataSize getMaxBatchSize() {
			return this.maxBatchSize;
		}

		public void setMaxBatchSize(DataSize maxBatchSize) {
			this.maxBatchSize = maxBatchSize;
		}

		public DataSize getMaxValueSize() {
			return this.maxValueSize;
		}

		public void setMaxValueSize(DataSize maxValueSize) {
			this.maxValueSize = maxValueSize;
		}

	}

	/** The Spanner store (instance, database and credentials come from spring.cloud.gcp.spanner.*). */
	public static class Spanner {

		/**
		 * Name of the lease table.
		 */
		private String lockTable = "hedge_lock";

		/**
		 * Name of the key/value log table (hedge-Go's DDL).
		 */
		private String logTable = "hedge_log";

		/**
		 * Whether to create missing tables and the log index at start. Defaults to true when
		 * spring.cloud.gcp.spanner.emulator.enabled is true (the instance and database are then created too), false
		 * otherwise.
		 */
		private Boolean initializeSchema;

		public String getLockTable() {
			return this.lockTable;
		}

		public void setLockTable(String lockTable) {
			this.lockTable = lockTable;
		}

		public String getLogTable() {
			return this.logTable;
		}

		public void setLogTable(String logTable) {
			this.logTable = logTable;
		}

		public Boolean getInitializeSchema() {
			return this.initializeSchema;
		}

		public void setInitializeSchema(Boolean initializeSchema) {
			this.initializeSchema = initializeSchema;
		}

	}

	/** The store on the application's DataSource (hedge.store=jdbc, or auto with a non-embedded DataSource). */
	public static class Jdbc {

		/**
		 * Name of the lease table.
		 */
		private String lockTable = "hedge_lock";

		/**
		 * Name of the key/value log table.
		 */
		private String logTable = "hedge_log";

		/**
		 * When to create missing tables at start, as spring.sql.init.mode: embedded (only for an embedded database),
		 * always, or never (the tables must exist: create them with the DDL shipped at
		 * classpath:dev/hedge/store/jdbc/schema-postgresql.sql).
		 */
		private DatabaseInitializationMode initializeSchema = DatabaseInitializationMode.EMBEDDED;

		public String getLockTable() {
			return this.lockTable;
		}

		public void setLockTable(String lockTable) {
			this.lockTable = lockTable;
		}

		public String getLogTable() {
			return this.logTable;
		}

		public void setLogTable(String logTable) {
			this.logTable = logTable;
		}

		public DatabaseInitializationMode getInitializeSchema() {
			return this.initializeSchema;
		}

		public void setInitializeSchema(DatabaseInitializationMode initializeSchema) {
			this.initializeSchema = initializeSchema;
		}

	}

	/** Replicated data (CRDTs): counters, sets and maps that converge by gossip without a leader. */
	public static class Crdt {

		/**
		 * How often local updates are pushed, batched, to every member; a MAJORITY or ALL write is pushed at once.
		 */
		private Duration deltaInterval = Duration.ofMillis(100);

		/**
		 * How often a member compares digests with a random member and repairs what differs (anti-entropy).
		 */
		private Duration gossipInterval = Duration.ofSeconds(1);

		/**
		 * Deadline of one push or repair call to a member (a digest call gets half the gossip interval if shorter).
		 */
		private Duration callTimeout = Duration.ofSeconds(2);

		/**
		 * Consistency of updates that do not pass one: local (this member at once), majority or all (wait until
		 * that many members hold the update, at most consistency-timeout).
		 */
		private Consistency.Level writeConsistency = Consistency.Level.LOCAL;

		/**
		 * Consistency of reads that do not pass one: local (this member's replica), majority or all (merge that many
		 * members' values first, at most consistency-timeout).
		 */
		private Consistency.Level readConsistency = Consistency.Level.LOCAL;

		/**
		 * How long a majority or all write or read from write-consistency or read-consistency waits for members.
		 */
		private Duration consistencyTimeout = Duration.ofSeconds(3);

		/**
		 * Whether each member keeps its replica in the store (appended every flush-interval, merged at start), so a
		 * restart of the whole group loses no write a majority or all consistency confirmed.
		 */
		private boolean durable = false;

		/**
		 * How often a durable member appends its changes to the store.
		 */
		private Duration flushInterval = Duration.ofMillis(100);

		/**
		 * A durable member writes its whole state again once it appended this much more than its last whole state.
		 */
		private DataSize compactAfter = DataSize.ofMegabytes(8);

		/**
		 * How often the leader looks for state of replicas that are gone for good.
		 */
		private Duration pruningInterval = Duration.ofSeconds(30);

		/**
		 * How long a member must have been absent before the leader folds its state into its own (a restarted
		 * member's previous run is folded at once).
		 */
		private Duration pruningDelay = Duration.ofMinutes(5);

		/**
		 * Listeners and HedgeReplicatedDataChangedEvent hear of a name's changes at most once per interval.
		 */
		private Duration notifyInterval = Duration.ofMillis(100);

		public Duration getDeltaInterval() {
			return this.deltaInterval;
		}

		public void setDeltaInterval(Duration deltaInterval) {
			this.deltaInterval = deltaInterval;
		}

		public Duration getGossipInterval() {
			return this.gossipInterval;
		}

		public void setGossipInterval(Duration gossipInterval) {
			this.gossipInterval = gossipInterval;
		}

		public Duration getCallTimeout() {
			return this.callTimeout;
		}

		public void setCallTimeout(Duration callTimeout) {
			this.callTimeout = callTimeout;
		}

		public Consistency.Level getWriteConsistency() {
			return this.writeConsistency;
		}

		public void setWriteConsistency(Consistency.Level writeConsistency) {
			this.writeConsistency = writeConsistency;
		}

		public Consistency.Level getReadConsistency() {
			return this.readConsistency;
		}

		public void setReadConsistency(Consistency.Level readConsistency) {
			this.readConsistency = readConsistency;
		}

		public Duration getConsistencyTimeout() {
			return this.consistencyTimeout;
		}

		public void setConsistencyTimeout(Duration consistencyTimeout) {
			this.consistencyTimeout = consistencyTimeout;
		}

		public boolean isDurable() {
			return this.durable;
		}

		public void setDurable(boolean durable) {
			this.durable = durable;
		}

		public Duration getFlushInterval() {
			return this.flushInterval;
		}

		public void setFlushInterval(Duration flushInterval) {
			this.flushInterval = flushInterval;
		}

		public DataSize getCompactAfter() {
			return this.compactAfter;
		}

		public void setCompactAfter(DataSize compactAfter) {
			this.compactAfter = compactAfter;
		}

		public Duration getPruningInterval() {
			return this.pruningInterval;
		}

		public void setPruningInterval(Duration pruningInterval) {
			this.pruningInterval = pruningInterval;
		}

		public Duration getPruningDelay() {
			return this.pruningDelay;
		}

		public void setPruningDelay(Duration pruningDelay) {
			this.pruningDelay = pruningDelay;
		}

		public Duration getNotifyInterval() {
			return this.notifyInterval;
		}

		public void setNotifyInterval(Duration notifyInterval) {
			this.notifyInterval = notifyInterval;
		}

	}

	/** The embedded store (H2 in file mode, shared by the processes of one machine). */
	public static class Embedded {

		/**
		 * Directory of the embedded database; every process on the machine that uses the same directory joins the
		 * same store.
		 */
		private Path path = Path.of(".hedge");

		/**
		 * Whether to create missing tables at start.
		 */
		private boolean initializeSchema = true;

		public Path getPath() {
			return this.path;
		}

		public void setPath(Path path) {
			this.path = path;
		}

		public boolean isInitializeSchema() {
			return this.initializeSchema;
		}

		public void setInitializeSchema(boolean initializeSchema) {
			this.initializeSchema = initializeSchema;
		}

	}

	/** Tasks that run only while this member leads (@OnLeader). */
	public static class OnLeader {

		/**
		 * Threads running @OnLeader tasks.
		 */
		private int poolSize = 2;

		public int getPoolSize() {
			return this.poolSize;
		}

		public void setPoolSize(int poolSize) {
			this.poolSize = poolSize;
		}

	}

	/** The spill-over store (records in off-heap memory, then memory-mapped files, then other members). */
	public static class Sos {

		/**
		 * Off-heap memory this member gives to spill-over stores (its own and what it holds for others); 0 switches
		 * the memory tier off.
		 */
		private DataSize memoryLimit = DataSize.ofMegabytes(64);

		/**
		 * Disk this member gives to spill-over stores; 0 switches the disk tier off.
		 */
		private DataSize diskLimit = DataSize.ofGigabytes(1);

		/**
		 * Directory of the memory-mapped files (one per member: members sharing one get no disk tier). Defaults to
		 * .hedge/sos/ and the member's gRPC port.
		 */
		private Path directory;

		/**
		 * How long a store's data lives after its last handle, writer and reader closed (here and on the members
		 * holding its spilled records).
		 */
		private Duration ttl = Duration.ofSeconds(30);

		public DataSize getMemoryLimit() {
			return this.memoryLimit;
		}

		public void setMemoryLimit(DataSize memoryLimit) {
			this.memoryLimit = memoryLimit;
		}

		public DataSize getDiskLimit() {
			return this.diskLimit;
		}

		public void setDiskLimit(DataSize diskLimit) {
			this.diskLimit = diskLimit;
		}

		public Path getDirectory() {
			return this.directory;
		}

		public void setDirectory(Path directory) {
			this.directory = directory;
		}

		public Duration getTtl() {
			return this.ttl;
		}

		public void setTtl(Duration ttl) {
			this.ttl = ttl;
		}

	}

	/** The replicated chain (CRAQ) of the group's members ({@code hedge.chain.*}). */
	public static class Chain {

		/**
		 * Whether this member takes part in the group's replicated key/value chain (HedgeChainTemplate); every member
		 * of a group should agree.
		 */
		private boolean enabled;

		/**
		 * Directory of this member's chain store (an H2 MVStore file, and the incarnation of its data): acknowledged
		 * writes then survive a restart of every chain member. One directory per member. When unset the chain data
		 * is kept in memory and lost with the process: losing every chain member at once loses every write.
		 */
		private Path directory;

		/**
		 * How long a write may take, retries across reconfigurations included.
		 */
		private Duration writeTimeout = Duration.ofSeconds(10);

		/**
		 * How long a read may take.
		 */
		private Duration readTimeout = Duration.ofSeconds(5);

		/**
		 * Deadline of one call between chain members; a forward that exceeds it is sent again.
		 */
		private Duration hopTimeout = Duration.ofSeconds(2);

		/**
		 * Writes the head accepts at once before it refuses more (retryably).
		 */
		private int maxWritesInFlight = 10_000;

		/**
		 * Keys per page a joining member copies from its predecessor (pages are also capped at half the message
		 * size).
		 */
		private int catchUpPageKeys = 1_000;

		/**
		 * Largest key, in UTF-8 bytes.
		 */
		private DataSize maxKeySize = DataSize.ofKilobytes(1);

		/**
		 * Largest value (at most the message size less 64KB).
		 */
		private DataSize maxValueSize = DataSize.ofMegabytes(1);

		/**
		 * Largest write id, in UTF-8 bytes.
		 */
		private DataSize maxWriteIdSize = DataSize.ofBytes(128);

		/**
		 * How many recent writes each key remembers, so that a retried write is applied once.
		 */
		private int writeIdsPerKey = 32;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Path getDirectory() {
			return this.directory;
		}

		public void setDirectory(Path directory) {
			this.directory = directory;
		}

		public Duration getWriteTimeout() {
			return this.writeTimeout;
		}

		public void setWriteTimeout(Duration writeTimeout) {
			this.writeTimeout = writeTimeout;
		}

		public Duration getReadTimeout() {
			return this.readTimeout;
		}

		public void setReadTimeout(Duration readTimeout) {
			this.readTimeout = readTimeout;
		}

		public Duration getHopTimeout() {
			return this.hopTimeout;
		}

		public void setHopTimeout(Duration hopTimeout) {
			this.hopTimeout = hopTimeout;
		}

		public int getMaxWritesInFlight() {
			return this.maxWritesInFlight;
		}

		public void setMaxWritesInFlight(int maxWritesInFlight) {
			this.maxWritesInFlight = maxWritesInFlight;
		}

		public int getCatchUpPageKeys() {
			return this.catchUpPageKeys;
		}

		public void setCatchUpPageKeys(int catchUpPageKeys) {
			this.catchUpPageKeys = catchUpPageKeys;
		}

		public DataSize getMaxKeySize() {
			return this.maxKeySize;
		}

		public void setMaxKeySize(DataSize maxKeySize) {
			this.maxKeySize = maxKeySize;
		}

		public DataSize getMaxValueSize() {
			return this.maxValueSize;
		}

		public void setMaxValueSize(DataSize maxValueSize) {
			this.maxValueSize = maxValueSize;
		}

		public DataSize getMaxWriteIdSize() {
			return this.maxWriteIdSize;
		}

		public void setMaxWriteIdSize(DataSize maxWriteIdSize) {
			this.maxWriteIdSize = maxWriteIdSize;
		}

		public int getWriteIdsPerKey() {
			return this.writeIdsPerKey;
		}

		public void setWriteIdsPerKey(int writeIdsPerKey) {
			this.writeIdsPerKey = writeIdsPerKey;
		}

		/** The store limits these properties describe. */
		dev.hedge.chain.ChainStoreOptions storeOptions() {
			return new dev.hedge.chain.ChainStoreOptions(toInt("hedge.chain.max-key-size", this.maxKeySize),
					toInt("hedge.chain.max-value-size", this.maxValueSize),
					toInt("hedge.chain.max-write-id-size", this.maxWriteIdSize), this.writeIdsPerKey);
		}

	}

	/** A semaphore declared in configuration. */
	public static class SemaphoreSpec {

		/**
		 * Most permits held at once across the group.
		 */
		private int limit = 1;

		public int getLimit() {
			return this.limit;
		}

		public void setLimit(int limit) {
			this.limit = limit;
		}

	}

}
