package dev.hedge;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.IntFunction;

import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hedge.chain.ChainOptions;
import dev.hedge.chain.ChainReplica;
import dev.hedge.chain.HedgeChain;
import dev.hedge.common.HedgeConfigurationException;
import dev.hedge.common.NotRunningException;
import dev.hedge.common.OperationObserver;
import dev.hedge.common.Ticker;
import dev.hedge.election.ElectionObserver;
import dev.hedge.election.ElectionOptions;
import dev.hedge.election.Fence;
import dev.hedge.election.LeaderElector;
import dev.hedge.election.Leadership;
import dev.hedge.election.LeadershipListener;
import dev.hedge.kv.CommitObserver;
import dev.hedge.kv.KeyValueLog;
import dev.hedge.kv.KeyValueOptions;
import dev.hedge.membership.LeaderRouter;
import dev.hedge.membership.Membership;
import dev.hedge.membership.MembershipListener;
import dev.hedge.membership.MembershipManager;
import dev.hedge.membership.MembershipOptions;
import dev.hedge.membership.MembershipView;
import dev.hedge.replicator.ReplicatedDataListener;
import dev.hedge.replicator.Replicator;
import dev.hedge.replicator.ReplicatorFactory;
import dev.hedge.replicator.ReplicatorObserver;
import dev.hedge.replicator.ReplicatorOptions;
import dev.hedge.messaging.LeaderCalls;
import dev.hedge.messaging.MessageHandler;
import dev.hedge.messaging.Messenger;
import dev.hedge.messaging.MessagingOptions;
import dev.hedge.messaging.StreamHandler;
import dev.hedge.semaphore.HedgeSemaphore;
import dev.hedge.semaphore.SemaphoreObserver;
import dev.hedge.semaphore.Semaphores;
import dev.hedge.sos.SpillOver;
import dev.hedge.sos.SpillOverFactory;
import dev.hedge.sos.SpillOverOptions;
import dev.hedge.store.HedgeStore;
import dev.hedge.transport.grpc.GrpcLimits;
import dev.hedge.transport.grpc.HedgeHeaders;
import dev.hedge.transport.grpc.HedgeServer;
import dev.hedge.transport.grpc.LateBoundService;
import dev.hedge.transport.grpc.MemberSecurity;
import dev.hedge.transport.grpc.PeerChannels;
import dev.hedge.transport.grpc.RuntimeVersions;
import dev.hedge.transport.grpc.proto.ChainGrpc;
import dev.hedge.transport.grpc.proto.KeyValueGrpc;
import dev.hedge.transport.grpc.proto.MembershipGrpc;
import dev.hedge.transport.grpc.proto.MessagingGrpc;
import dev.hedge.transport.grpc.proto.ReplicatorGrpc;
import dev.hedge.transport.grpc.proto.SemaphoresGrpc;
import dev.hedge.transport.grpc.proto.SpillOverGrpc;

/**
 * One member of a hedge group: the composition root that wires election, membership, messaging, the key/value log
 * and semaphores over a store
 * and a gRPC server, with a start/close state machine ({@code NEW → RUNNING → CLOSED}).
 *
 * <p>Two ways to serve: {@link #start()} starts hedge's own gRPC server; with an external server (the application's
 * Spring gRPC server) register {@link #services()} there, and call {@link #start(int)} with its port once it
 * listens — until then the services answer a retryable NOT_READY.
 *
 * <p>{@link #close()} hands over gracefully: leader-only work stops (revoke listeners), the lease is released, every
 * member is told so it takes over at once (a follower tells the leader it leaves), and only then does the transport
 * stop. Every thread the node starts is stopped by {@link #close()}.
 */
public final class HedgeNode implements Hedge, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(HedgeNode.class);

	private final Builder config;

	private final LateBoundService membershipService;

	private final LateBoundService messagingService;

	private final LateBoundService keyValueService;

	private final LateBoundService semaphoreService;
	private final LateBoundService spillOverService;

	private final LateBoundService replicatorService;

	private final LateBoundService chainService;

	private final AtomicReference<State> state = new AtomicReference<>(State.NEW);

	private final Idle idle = new Idle();

	private volatile Parts parts;

	private HedgeServer ownServer;

	private HedgeNode(Builder builder) {
		this.config = builder;
		this.membershipService = new LateBoundService(MembershipGrpc.getServiceDescriptor(), builder.group);
		this.messagingService = new LateBoundService(MessagingGrpc.getServiceDescriptor(), builder.group);
		this.keyValueService = new LateBoundService(KeyValueGrpc.getServiceDescriptor(), builder.group);
		this.semaphoreService = new LateBoundService(SemaphoresGrpc.getServiceDescriptor(), builder.group);
		this.spillOverService = new LateBoundService(SpillOverGrpc.getServiceDescriptor(), builder.group);
		this.replicatorService = new LateBoundService(ReplicatorGrpc.getServiceDescriptor(), builder.group);
		this.chainService = new LateBoundService(ChainGrpc.getServiceDescriptor(), builder.group);
	}

	/**
	 * Starts building a node of a group.
	 * @param group the group (a non-blank name shared by every member)
	 * @return the builder
	 */
	public static Builder builder(String group) {
		RuntimeVersions.requireCompatible();
		return new Builder(group);
	}

	/**
	 * The gRPC services to register on an external server before it starts.
	 * @return the services (each checks the group of every call)
	 */
	public List<BindableService> services() {
		return List.of(this.membershipService, this.messagingService, this.keyValueService, this.semaphoreService,
				this.spillOverService, this.replicatorService, this.chainService);
	}

	/**
	 * Changes the configuration before the node starts, e.g. to register handlers or listeners discovered after the
	 * node was built.
	 * @param changes applied to this node's builder
	 * @throws IllegalStateException once the node has started
	 */
	public synchronized void beforeStart(Consumer<Builder> changes) {
		if (this.state.get() != State.NEW) {
			throw new IllegalStateException("hedge node already " + this.state.get() + "; configure it before start");
		}
		changes.accept(this.config);
	}

	/**
	 * One of {@link #services()} by its gRPC service name.
	 * @param name e.g. {@code hedge.v1.Messaging}
	 * @return the service
	 */
	public BindableService service(String name) {
		for (BindableService service : services()) {
			if (((LateBoundService) service).name().equals(name)) {
				return service;
			}
		}
		throw new IllegalArgumentException("no hedge service " + name);
	}

	/**
	 * Starts hedge's own gRPC server on the configured bind address and port, then the node.
	 * @return this node
	 */
	public HedgeNode start() {
		List<ServerServiceDefinition> definitions = new ArrayList<>();
		for (BindableService service : services()) {
			definitions.add(service.bindService());
		}
		this.ownServer = HedgeServer.start(this.config.bindHost, this.config.port, definitions, this.config.limits,
				this.config.security.tls());
		try {
			return start(this.ownServer.port());
		}
		catch (RuntimeException ex) {
			this.ownServer.close(Duration.ZERO);
			throw ex;
		}
	}

	/**
	 * Starts the node whose {@link #services()} an external server already serves on {@code port}.
	 * @param port the port other members reach this node on
	 * @return this node
	 */
	public synchronized HedgeNode start(int port) {
		if (!this.state.compareAndSet(State.NEW, State.RUNNING)) {
			throw new IllegalStateException("node already " + this.state.get());
		}
		String host = this.config.advertisedHost();
		this.config.security.requireAllowed(host);
		String id = host + ":"
				+ ((this.config.advertisedPort > 0) ? this.config.advertisedPort : port);
		Parts started = new Parts(id, this.config);
		this.parts = started;
		started.messenger.setLeaderHandler(this.config.leaderHandler);
		started.messenger.setBroadcastHandler(this.config.broadcastHandler);
		started.messenger.setLeaderStreamHandler(this.config.leaderStreamHandler);
		started.messenger.setBroadcastStreamHandler(this.config.broadcastStreamHandler);
		OperationObserver operations = OperationObserver.composite(this.config.operationObservers);
		started.messenger.setOperationObserver(operations);
		started.keyValues.setOperationObserver(operations);
		started.semaphores.setOperationObserver(operations);
		this.config.leadershipListeners.forEach(started.elector::addListener);
		this.config.membershipListeners.forEach(started.membership::addListener);
		this.membershipService.bind(started.membership.service(), this.config.security);
		this.messagingService.bind(started.messenger.service(), this.config.security);
		this.keyValueService.bind(started.keyValues.service(), this.config.security);
		this.semaphoreService.bind(started.semaphores.service(), this.config.security);
		this.spillOverService.bind(started.spillOver.service(), this.config.security);
		this.replicatorService.bind(started.replicator.service(), this.config.security);
		this.chainService.bind(started.chain.service(), this.config.security);
		started.messenger.start();
		started.membership.start();
		started.elector.start();
		started.chain.start();
		logger.info("hedge node {} of group '{}' started on the {} store; member calls: {}", id, this.config.group,
				this.config.store.kind().id(), this.config.security.describe());
		if (this.config.security.mode() == MemberSecurity.Mode.NONE && !MemberSecurity.isLoopback(host)) {
			logger.warn("hedge member calls are not authenticated (hedge.security.mode=none): anyone who reaches {}"
					+ " can act as a member", id);
		}
		return this;
	}

	/**
	 * The started parts (also after close: their operations then fail, typed, on their own).
	 * @throws NotRunningException before start
	 */
	private Parts parts() {
		Parts current = this.parts;
		if (current == null) {
			throw new NotRunningException("hedge node of group '" + this.config.group + "' is "
					+ ((this.state.get() == State.CLOSED) ? "closed" : "not started"));
		}
		return current;
	}

	/**
	 * This member's id, {@code host:port} of the gRPC server other members reach it on.
	 * @return the id (also after close)
	 * @throws NotRunningException before start: the port is known once the server has started
	 */
	@Override
	public String nodeId() {
		Parts current = this.parts;
		if (current == null) {
			throw new NotRunningException("hedge node of group '" + this.config.group
					+ "' is not started: its id is host:port of the gRPC server, known once it has started");
		}
		return current.id;
	}

	/**
	 * How this member authenticates member calls (fixed at start).
	 * @return the security
	 */
	public MemberSecurity security() {
		return this.config.security;
	}

	@Override
	public String group() {
		return this.config.group;
	}

	/**
	 * Leadership as this member sees it. Before start and after close it answers not leading, no leader, epoch 0;
	 * listeners added before start are registered when the node starts.
	 * @return the leadership
	 */
	@Override
	public Leadership leadership() {
		Parts current = this.parts;
		return (current != null && isRunning()) ? current.elector : this.idle;
	}

	/**
	 * The elector (for yielding leadership, or polling on demand).
	 * @return the elector
	 */
	public LeaderElector elector() {
		return parts().elector;
	}

	/**
	 * The member list as this member sees it. Before start and after close it is empty; listeners added before start
	 * are registered when the node starts.
	 * @return the membership
	 */
	@Override
	public Membership membership() {
		Parts current = this.parts;
		return (current != null && isRunning()) ? current.membership : this.idle;
	}

	/**
	 * The membership manager (leader-side details such as last-seen times).
	 * @return the manager
	 */
	public MembershipManager membershipManager() {
		return parts().membership;
	}

	@Override
	public Messenger messenger() {
		return parts().messenger;
	}

	@Override
	public KeyValueLog kv() {
		return parts().keyValues;
	}

	@Override
	public HedgeSemaphore semaphore(String name, int limit) {
		return parts().semaphores.open(name, limit);
	}

	/**
	 * The semaphores of this node.
	 * @return the semaphore manager
	 */
	public Semaphores semaphores() {
		return parts().semaphores;
	}

	/**
	 * This member's spill-over store (see {@link SpillOver}); unavailable, but the node runs, without Apache Arrow.
	 * @return the SoS
	 */
	@Override
	public SpillOver spillOver() {
		return parts().spillOver;
	}

	/**
	 * This member's replicated data (see {@link Replicator}).
	 * @return the replicator
	 */
	@Override
	public Replicator replicator() {
		return parts().replicator;
	}

	/**
	 * This member's chain (see {@link HedgeChain}); its operations fail when {@code hedge.chain.enabled} is false.
	 * @return the chain
	 */
	@Override
	public HedgeChain chain() {
		return parts().chain;
	}

	/**
	 * The store this node uses.
	 * @return the store
	 */
	public HedgeStore store() {
		return this.config.store;
	}

	/**
	 * Whether the node has started and not closed.
	 * @return whether it runs
	 */
	public boolean isRunning() {
		return this.state.get() == State.RUNNING;
	}

	/**
	 * Gives leadership up (if held) and tells every member, so one of them takes over at once.
	 * @return whether this node was leading and released the lease
	 */
	public boolean yieldLeadership() {
		Parts current = parts();
		long epoch = current.elector.isLeader() ? current.elector.epoch() : 0;
		boolean released = current.elector.yieldLeadership().join();
		if (released) {
			current.membership.announceDeparture(epoch, Duration.ofMillis(500));
		}
		return released;
	}

	/** Hands over and stops (see the class description). Idempotent. */
	@Override
	public void close() {
		State previous = this.state.getAndSet(State.CLOSED);
		if (previous == State.CLOSED) {
			return;
		}
		Parts current = this.parts;
		if (current != null) {
			current.chain.close();
			long epoch = current.elector.isLeader() ? current.elector.epoch() : 0;
			current.elector.close();
			current.membership.announceDeparture(epoch, Duration.ofMillis(500));
			current.replicator.close();
			current.keyValues.close();
			current.semaphores.close();
			current.membership.close();
			current.messenger.close();
			current.spillOver.close();
		}
		if (this.ownServer != null) {
			this.ownServer.close(Duration.ofSeconds(1));
		}
		unbindAll();
		if (current != null) {
			current.channels.close();
		}
		if (this.config.closeStore) {
			this.config.store.close();
		}
		logger.info("hedge node {} of group '{}' closed", (current != null) ? current.id : "(not started)",
				this.config.group);
	}

	/**
	 * Stops at once without handing over, as if the process had died: no release, no goodbye to other members, the
	 * server drops its connections. Other members notice through lease expiry and missed heartbeats. For fault
	 * injection in tests.
	 */
	void halt() {
		if (this.state.getAndSet(State.CLOSED) == State.CLOSED) {
			return;
		}
		if (this.ownServer != null) {
			this.ownServer.close(Duration.ZERO);
		}
		Parts current = this.parts;
		if (current != null) {
			current.chain.halt();
			current.elector.halt();
			current.replicator.halt();
			current.keyValues.close();
			current.semaphores.close();
			current.membership.close();
			current.messenger.close();
			current.spillOver.halt();
			current.channels.close();
		}
		unbindAll();
		logger.info("hedge node {} halted", (current != null) ? current.id : "(not started)");
	}

	private void unbindAll() {
		this.membershipService.unbind();
		this.messagingService.unbind();
		this.keyValueService.unbind();
		this.semaphoreService.unbind();
		this.spillOverService.unbind();
		this.replicatorService.unbind();
		this.chainService.unbind();
	}

	private enum State {

		NEW, RUNNING, CLOSED

	}

	/**
	 * What a node that is not running answers: not leading, no leader, no members. Listeners added before start go
	 * to the configuration (registered at start); after close they are ignored.
	 */
	private final class Idle implements Leadership, Membership {

		@Override
		public String nodeId() {
			Parts current = HedgeNode.this.parts;
			return (current != null) ? current.id : "";
		}

		@Override
		public boolean isLeader() {
			return false;
		}

		@Override
		public Optional<String> leaderId() {
			return Optional.empty();
		}

		@Override
		public long epoch() {
			return 0;
		}

		@Override
		public Optional<Duration> leaseRemaining() {
			return Optional.empty();
		}

		@Override
		public Optional<Fence> fence() {
			return Optional.empty();
		}

		@Override
		public void addListener(LeadershipListener listener) {
			beforeStartIfNew((config) -> config.addLeadershipListener(listener));
		}

		@Override
		public void removeListener(LeadershipListener listener) {
			beforeStartIfNew((config) -> config.leadershipListeners.remove(listener));
		}

		@Override
		public MembershipView view() {
			return new MembershipView(0, 0, null, List.of());
		}

		@Override
		public void addListener(MembershipListener listener) {
			beforeStartIfNew((config) -> config.addMembershipListener(listener));
		}

		@Override
		public void removeListener(MembershipListener listener) {
			beforeStartIfNew((config) -> config.membershipListeners.remove(listener));
		}

	}

	private synchronized void beforeStartIfNew(Consumer<Builder> changes) {
		if (this.state.get() == State.NEW) {
			changes.accept(this.config);
		}
	}

	/** The parts that exist once the node id is known. */
	private static final class Parts {

		final String id;

		final PeerChannels channels;

		final LeaderElector elector;

		final LeaderRouter router;

		final MembershipManager membership;

		final Messenger messenger;

		final KeyValueLog keyValues;

		final Semaphores semaphores;
		final SpillOver spillOver;

		final Replicator replicator;
		final ChainReplica chain;

		Parts(String id, Builder config) {
			this.id = id;
			this.elector = new LeaderElector(config.group, id, config.store.leases(), config.election, config.ticker,
					config.observer);
			this.router = new LeaderRouter(id, this.elector);
			this.channels = new PeerChannels(config.limits,
					HedgeHeaders.client(config.group, () -> id, this.router::epoch, config.security.secret()),
					config.security.tls());
			this.membership = new MembershipManager(config.group, id, this.elector, this.router, this.elector::pollNow,
					this.channels, config.membership, config.ticker);
			this.messenger = new Messenger(config.group, id, this.elector, this.router, this.membership, this.channels,
					config.messaging);
			LeaderCalls calls = new LeaderCalls(id, this.router, this.channels);
			this.keyValues = new KeyValueLog(config.group, id, this.elector, calls, config.store.log(), config.keyValue,
					config.messaging.callTimeout(), config.election.storeTimeout(), config.commitObserver);
			this.semaphores = new Semaphores(config.group, id, this.elector, this.membership, calls,
					config.store.semaphores(), config.election.storeTimeout(), config.messaging.callTimeout(),
					config.semaphoreObserver);
			int port = Integer.parseInt(id.substring(id.lastIndexOf(':') + 1));
			SpillOverOptions sos = (config.spillOver != null) ? config.spillOver.apply(port)
					: SpillOverOptions.defaults(port);
			this.spillOver = SpillOverFactory.create(config.group, id, this.membership, this.channels, config.limits,
					sos);
			this.replicator = ReplicatorFactory.start(config.group, id, this.elector, this.membership, this.channels,
					config.limits, config.replicatedData, config.store.replicaSnapshots().orElse(null),
					config.election.storeTimeout(), ReplicatorObserver.composite(config.replicatorObservers));
			config.replicatedDataListeners.forEach(this.replicator::addListener);
			this.chain = ChainReplica.create(new ChainReplica.Context(config.group, id, this.elector, this.router,
					this.membership, this.channels, config.store.chainConfigs(), config.chain, config.membership,
					config.limits, config.election.storeTimeout(), config.ticker));
		}

	}

	/** Configures a {@link HedgeNode}. Not thread-safe. */
	public static final class Builder {

		private final String group;

		private HedgeStore store;

		private boolean closeStore;

		private String address;

		private String bindHost = "0.0.0.0";

		private int port;

		private int advertisedPort;

		private ElectionOptions election = ElectionOptions.defaults();

		private MembershipOptions membership = MembershipOptions.DEFAULTS;

		private MessagingOptions messaging = MessagingOptions.DEFAULTS;

		private GrpcLimits limits = GrpcLimits.DEFAULTS;

		private Ticker ticker = Ticker.system();

		private ElectionObserver observer = ElectionObserver.NONE;

		private KeyValueOptions keyValue = KeyValueOptions.DEFAULTS;

		private SemaphoreObserver semaphoreObserver = SemaphoreObserver.NONE;

		private CommitObserver commitObserver = CommitObserver.NONE;

		private MessageHandler leaderHandler;

		private MessageHandler broadcastHandler;

		private StreamHandler leaderStreamHandler;

		private StreamHandler broadcastStreamHandler;

		private final List<LeadershipListener> leadershipListeners = new ArrayList<>();

		private final List<MembershipListener> membershipListeners = new ArrayList<>();
		private IntFunction<SpillOverOptions> spillOver;

		private MemberSecurity security = MemberSecurity.auto();

		private ChainOptions chain = ChainOptions.DISABLED;

		private final List<OperationObserver> operationObservers = new ArrayList<>();

		private ReplicatorOptions replicatedData = ReplicatorOptions.defaults();

		private final List<ReplicatorObserver> replicatorObservers = new ArrayList<>();

		private final List<ReplicatedDataListener> replicatedDataListeners = new ArrayList<>();

		private Builder(String group) {
			if (group == null || group.isBlank()) {
				throw new HedgeConfigurationException("hedge.group",
						"must not be blank (set it, or spring.application.name)");
			}
			this.group = group.trim();
		}

		/**
		 * The store (required).
		 * @param store the store
		 * @param closeOnClose whether {@link HedgeNode#close()} closes it
		 * @return this builder
		 */
		public Builder store(HedgeStore store, boolean closeOnClose) {
			this.store = store;
			this.closeStore = closeOnClose;
			return this;
		}

		/**
		 * The host other members reach this node at ({@code hedge.node.address}); default {@code POD_IP}, else (with
		 * member authentication configured, or {@link MemberSecurity#none()}) the first site-local IPv4 address, else
		 * the loopback address.
		 * @param host the host
		 * @return this builder
		 */
		public Builder address(String host) {
			this.address = host;
			return this;
		}

		/**
		 * The port other members reach this node on, when it differs from the port the server listens on (a proxy or
		 * a port mapping in front of it); the member id then uses it. 0 (the default) means the server's port.
		 * @param port the advertised port
		 * @return this builder
		 */
		public Builder advertisedPort(int port) {
			this.advertisedPort = port;
			return this;
		}

		/**
		 * Where hedge's own server listens (only for {@link HedgeNode#start()}).
		 * @param host the bind address, default {@code 0.0.0.0}
		 * @param port the port, 0 for any free port
		 * @return this builder
		 */
		public Builder listen(String host, int port) {
			this.bindHost = Objects.requireNonNull(host, "host");
			this.port = port;
			return this;
		}

		/**
		 * Lease timings.
		 * @param options the options
		 * @return this builder
		 */
		public Builder election(ElectionOptions options) {
			this.election = Objects.requireNonNull(options);
			return this;
		}

		/**
		 * Membership timings.
		 * @param options the options
		 * @return this builder
		 */
		public Builder membership(MembershipOptions options) {
			this.membership = Objects.requireNonNull(options);
			return this;
		}

		/**
		 * Messaging deadlines and retry policy.
		 * @param options the options
		 * @return this builder
		 */
		public Builder messaging(MessagingOptions options) {
			this.messaging = Objects.requireNonNull(options);
			return this;
		}

		/**
		 * How members authenticate each other's calls (default {@link MemberSecurity#auto()}: loopback only until a
		 * group secret or mutual TLS is configured).
		 * @param security the security
		 * @return this builder
		 */
		public Builder security(MemberSecurity security) {
			this.security = Objects.requireNonNull(security);
			return this;
		}

		/**
		 * How members authenticate each other's calls.
		 * @return the security
		 */
		public MemberSecurity security() {
			return this.security;
		}

		String advertisedHost() {
			return NodeAddresses.resolve(this.address, !this.security.loopbackOnly());
		}

		/**
		 * Transport limits.
		 * @param limits the limits
		 * @return this builder
		 */
		public Builder limits(GrpcLimits limits) {
			this.limits = Objects.requireNonNull(limits);
			return this;
		}

		/**
		 * The monotonic clock leadership is judged by (tests inject skew here).
		 * @param ticker the clock
		 * @return this builder
		 */
		public Builder ticker(Ticker ticker) {
			this.ticker = Objects.requireNonNull(ticker);
			return this;
		}

		/**
		 * Election hooks for metrics.
		 * @param observer the observer
		 * @return this builder
		 */
		public Builder electionObserver(ElectionObserver observer) {
			this.observer = Objects.requireNonNull(observer);
			return this;
		}

		/**
		 * The election observer set so far, so another can be chained to it.
		 * @return the observer ({@link ElectionObserver#NONE} unless one was set)
		 */
		public ElectionObserver electionObserver() {
			return this.observer;
		}

		/**
		 * Key/value log settings.
		 * @param options the settings
		 * @return this builder
		 */
		public Builder keyValue(KeyValueOptions options) {
			this.keyValue = Objects.requireNonNull(options);
			return this;
		}

		/**
		 * Hooks on the leader's semaphore decisions (metrics, audits).
		 * @param observer the observer
		 * @return this builder
		 */
		public Builder semaphoreObserver(SemaphoreObserver observer) {
			this.semaphoreObserver = Objects.requireNonNull(observer);
			return this;
		}

		/**
		 * Told of every log batch this node commits as leader (metrics, audits).
		 * @param observer the observer
		 * @return this builder
		 */
		public Builder commitObserver(CommitObserver observer) {
			this.commitObserver = Objects.requireNonNull(observer);
			return this;
		}

		/**
		 * The handler answering sends while this node leads.
		 * @param handler the handler
		 * @return this builder
		 */
		public Builder leaderHandler(MessageHandler handler) {
			this.leaderHandler = handler;
			return this;
		}

		/**
		 * The handler answering broadcasts.
		 * @param handler the handler
		 * @return this builder
		 */
		public Builder broadcastHandler(MessageHandler handler) {
			this.broadcastHandler = handler;
			return this;
		}

		/**
		 * The handler of streams sent to the leader.
		 * @param handler the handler
		 * @return this builder
		 */
		public Builder leaderStreamHandler(StreamHandler handler) {
			this.leaderStreamHandler = handler;
			return this;
		}

		/**
		 * The handler of broadcast streams.
		 * @param handler the handler
		 * @return this builder
		 */
		public Builder broadcastStreamHandler(StreamHandler handler) {
			this.broadcastStreamHandler = handler;
			return this;
		}

		/**
		 * Adds a leadership listener, attached when the node starts (so it sees the first grant).
		 * @param listener the listener
		 * @return this builder
		 */
		public Builder addLeadershipListener(LeadershipListener listener) {
			this.leadershipListeners.add(Objects.requireNonNull(listener));
			return this;
		}

		/**
		 * Spill-over store limits; default {@link SpillOverOptions#defaults(int)}: 64 MiB memory, 1 GiB disk, directory
		 * {@code ./.hedge/sos/<node-port>}, TTL 30 s.
		 * @param options the options
		 * @return this builder
		 */
		public Builder spillOver(SpillOverOptions options) {
			Objects.requireNonNull(options);
			this.spillOver = (port) -> options;
			return this;
		}

		/**
		 * Spill-over store limits chosen once the node's port is known (e.g. a directory per port).
		 * @param options the options for a port
		 * @return this builder
		 */
		public Builder spillOverPerPort(IntFunction<SpillOverOptions> options) {
			this.spillOver = Objects.requireNonNull(options);
			return this;
		}

		/**
		 * The chain (CRAQ) settings; default {@link ChainOptions#DISABLED}.
		 * @param options the settings
		 * @return this builder
		 */
		public Builder chain(ChainOptions options) {
			this.chain = Objects.requireNonNull(options);
			return this;
		}

		/**
		 * The chain settings so far (to add an observer to them).
		 * @return the settings
		 */
		public ChainOptions chain() {
			return this.chain;
		}

		/**
		 * Adds a membership listener, attached when the node starts.
		 * @param listener the listener
		 * @return this builder
		 */
		public Builder addMembershipListener(MembershipListener listener) {
			this.membershipListeners.add(Objects.requireNonNull(listener));
			return this;
		}

		/**
		 * Adds an observer of completed sends, broadcasts, puts and semaphore acquires and releases (metrics). Every
		 * observer added sees every operation, in the order added.
		 * @param observer the observer
		 * @return this builder
		 */
		public Builder addOperationObserver(OperationObserver observer) {
			this.operationObservers.add(Objects.requireNonNull(observer));
			return this;
		}

		/**
		 * Replicated data settings (default {@link ReplicatorOptions#defaults()}).
		 * @param options the options
		 * @return this builder
		 */
		public Builder replicatedData(ReplicatorOptions options) {
			this.replicatedData = Objects.requireNonNull(options);
			return this;
		}

		/**
		 * Adds an observer of the replicated data (metrics); every observer added sees everything, in the order added.
		 * @param observer the observer
		 * @return this builder
		 */
		public Builder addReplicatorObserver(ReplicatorObserver observer) {
			this.replicatorObservers.add(Objects.requireNonNull(observer));
			return this;
		}

		/**
		 * Adds a listener of replicated data changes, attached to the replicator each time the node starts (see
		 * {@link ReplicatedDataListener} for its thread and timing).
		 * @param listener the listener
		 * @return this builder
		 */
		public Builder addReplicatedDataListener(ReplicatedDataListener listener) {
			this.replicatedDataListeners.add(Objects.requireNonNull(listener));
			return this;
		}

		/**
		 * The leader handler set so far.
		 * @return the handler, or null
		 */
		public MessageHandler leaderHandler() {
			return this.leaderHandler;
		}

		/**
		 * The broadcast handler set so far.
		 * @return the handler, or null
		 */
		public MessageHandler broadcastHandler() {
			return this.broadcastHandler;
		}

		/**
		 * The group.
		 * @return the group name
		 */
		public String group() {
			return this.group;
		}

		/**
		 * Builds the node (not started).
		 * @return the node
		 */
		public HedgeNode build() {
			if (this.store == null) {
				throw new HedgeConfigurationException("hedge.store", "a store is required");
			}
			if (this.port < 0 || this.port > 65535) {
				throw new HedgeConfigurationException("spring.grpc.server.port", "must be 0..65535 (was " + this.port + ")");
			}
			this.security.requireAllowed(advertisedHost());
			return new HedgeNode(this);
		}

	}

}
