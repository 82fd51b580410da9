package dev.hedge.chain;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.grpc.BindableService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hedge.chain.ChainClient.ReadAnswer;
import dev.hedge.common.NamedThreads;
import dev.hedge.common.Ticker;
import dev.hedge.election.Leadership;
import dev.hedge.membership.LeaderRouter;
import dev.hedge.membership.Membership;
import dev.hedge.membership.MembershipOptions;
import dev.hedge.transport.grpc.Failure;
import dev.hedge.transport.grpc.GrpcLimits;
import dev.hedge.transport.grpc.PeerChannels;
import dev.hedge.transport.grpc.proto.ChainGrpc;

/**
 * One member's chain: its store, its part of the protocol, the coordinator it runs while it leads, the
 * {@code hedge.v1.Chain} service, and the {@link HedgeChain} API its callers use. A {@link dev.hedge.HedgeNode} creates
 * its own; start at {@link HedgeChain} for the API and at the package description for the protocol.
 *
 * <p><b>Threads</b> (all named, all stopped by {@link #close()} and {@link #halt()}): {@code hedge-<group>-chain}
 * (heartbeats and retry timers), {@code hedge-<group>-chain-io-n} (four: replies, retries, store work of forwarded
 * writes), {@code hedge-<group>-chain-coordinator} (configuration decisions and store calls while leading) and, on a
 * member that syncs, {@code hedge-<group>-chain-catchup}. Callers block only in the {@link HedgeChain} methods, up to
 * their deadline.
 *
 * <p><b>Close</b> leaves gracefully: the member stops serving reads, asks the coordinator to take it out of the chain
 * and waits (up to two seconds) for the configuration without it, so its predecessor re-forwards its writes in flight
 * to its successor at once; only then does it stop. {@link #halt()} stops at once, as a crash would.
 */
public final class ChainReplica implements HedgeChain, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(ChainReplica.class);

	/** Room kept for the rest of a message when capping values below the gRPC message limit. */
	static final int MESSAGE_OVERHEAD_BYTES = 64 * 1024;

	private static final Duration LEAVE_WAIT = Duration.ofSeconds(2);

	private static final Duration MAX_ATTEMPT = Duration.ofSeconds(4);

	private final ChainOptions options;

	private final ChainParts parts;

	private final ChainNode node;

	private final ChainCoordinator coordinator;

	private final MemberHeartbeats heartbeats;

	private final ChainService service;

	private final ChainStorage storage;

	private final AtomicBoolean running = new AtomicBoolean();

	private final AtomicBoolean closed = new AtomicBoolean();

	private ChainReplica(ChainOptions options) {
		this.options = options;
		this.parts = null;
		this.node = null;
		this.coordinator = null;
		this.heartbeats = null;
		this.service = null;
		this.storage = null;
	}

	private ChainReplica(Context context) {
		this.options = context.options;
		this.storage = context.options.storage();
		ChainStorage.Opened opened = this.storage.open();
		ChainMember self = new ChainMember(context.self, opened.incarnation(), opened.store().isDurable());
		String owner = NamedThreads.owner(context.group);
		ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
				NamedThreads.single(owner, "chain"));
		ExecutorService io = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
				NamedThreads.pool(owner, "chain-io"));
		ChainClient client = new ChainClient(context.channels, io);
		int maxValue = Math.min(opened.store().options().maxValueBytes(),
				context.limits.maxMessageBytes() - MESSAGE_OVERHEAD_BYTES);
		this.parts = new ChainParts(context.group, new ChainView(self, context.ticker), opened.store(), client,
				this.options, timer, io, Math.max(1, maxValue));
		this.node = new ChainNode(this.parts, this.storage);
		this.coordinator = new ChainCoordinator(context.group, self, context.leadership,
				context.membership, context.configs, client, this.node::adopt, context.storeTimeout,
				context.membershipOptions.heartbeatInterval(), context.membershipOptions.memberTimeout(),
				this.options.hopTimeout(), context.ticker);
		this.heartbeats = new MemberHeartbeats(this.parts, context.router, this.coordinator::heartbeat,
				this.node::adopt, this.node.catchUp(), context.membershipOptions.heartbeatInterval(), context.ticker);
		this.node.heartbeatSoon(this.heartbeats::soon);
		this.service = new ChainService(this.node, this.coordinator::heartbeat, context.router, this.running::get,
				this.parts.counters, context.limits.maxMessageBytes() / 2);
		context.leadership.addListener(this.coordinator);
		context.membership.addListener(this.coordinator);
		logger.info("Chain member {} on {} storage, incarnation {}", self.id(), this.storage.describe(),
				self.incarnation());
	}

	/**
	 * Creates a member's chain (not started); with {@link ChainOptions#enabled()} false, one whose operations fail
	 * and that starts no thread.
	 * @param context what the chain runs on
	 * @return the chain
	 */
	public static ChainReplica create(Context context) {
		return context.options.enabled() ? new ChainReplica(context) : new ChainReplica(context.options);
	}

	/**
	 * The {@code hedge.v1.Chain} service to serve on this member's server.
	 * @return the service
	 */
	public BindableService service() {
		return (this.service != null) ? this.service : new ChainGrpc.ChainImplBase() {
		};
	}

	/** Starts heartbeating and, while this member leads, coordinating. */
	public void start() {
		if (this.parts == null || this.closed.get()) {
			return;
		}
		this.running.set(true);
		this.coordinator.start();
		this.heartbeats.start();
	}

	// ---- writes ----

	@Override
	public long write(String key, byte[] value) {
		return write(key, value, UUID.randomUUID().toString());
	}

	@Override
	public long write(String key, byte[] value, String writeId) {
		return write(key, value, writeId, OptionalLong.empty());
	}

	@Override
	public long compareAndSet(String key, long expectedVersion, byte[] value) {
		return compareAndSet(key, expectedVersion, value, UUID.randomUUID().toString());
	}

	@Override
	public long compareAndSet(String key, long expectedVersion, byte[] value, String writeId) {
		if (expectedVersion < 0) {
			throw new IllegalArgumentException("the expected version is 0 (no value) or more");
		}
		return write(key, value, writeId, OptionalLong.of(expectedVersion));
	}

	private long write(String key, byte[] value, String writeId, OptionalLong expected) {
		long started = System.nanoTime();
		String outcome = "unavailable";
		try {
			long version = writeWithRetries(key, value, writeId, expected);
			outcome = "ok";
			this.parts.counters.writes.increment();
			return version;
		}
		catch (ChainCompareFailedException ex) {
			outcome = "compare_failed";
			throw ex;
		}
		catch (ChainLimitException ex) {
			outcome = "limit";
			throw ex;
		}
		finally {
			if (this.parts != null) {
				observeWrite(Duration.ofNanos(System.nanoTime() - started), outcome);
			}
		}
	}

	private long writeWithRetries(String key, byte[] value, String writeId, OptionalLong expected) {
		requireRunning();
		checkLimits(key, value, writeId);
		long deadline = System.nanoTime() + this.options.writeTimeout().toNanos();
		boolean unknown = false;
		String problem = "no chain configuration yet";
		Backoff backoff = new Backoff();
		while (true) {
			if (this.closed.get()) {
				throw new ChainUnavailableException("the chain of " + self().id() + " is closed", unknown);
			}
			ChainConfig config = this.parts.view.config();
			Optional<ChainMember> head = config.head();
			if (head.isPresent()) {
				Duration attempt = attempt(deadline);
				try {
					CompletableFuture<Long> reply = head.get().sameAs(self())
							? this.node.onWrite(config.version(), key, value, writeId, expected)
							: this.parts.client.write(head.get().id(), attempt, config.version(), key, value, writeId,
									expected);
					return await(reply, attempt);
				}
				catch (ChainRefusedException refused) {
					problem = refused.getMessage();
					switch (refused.reason()) {
						case VERSION_MISMATCH -> throw new ChainCompareFailedException(key, expected.orElse(0),
								refused.currentVersion());
						case LIMIT -> throw new ChainException(refused.getMessage(), false);
						default -> {
							if (!learn(refused)) {
								backoff.sleep(deadline);
							}
						}
					}
				}
				catch (ChainHopException hop) {
					problem = hop.getMessage();
					Failure.Kind kind = hop.failure().kind();
					if (kind == Failure.Kind.INVALID || kind == Failure.Kind.UNAUTHENTICATED) {
						throw new ChainException("write of key '" + ChainVersionException.shorten(key)
								+ "' refused by " + head.get().id() + ": " + hop.failure().message(), unknown);
					}
					unknown |= kind != Failure.Kind.NOT_READY && kind != Failure.Kind.NO_HANDLER;
					this.heartbeats.soon();
					backoff.sleep(deadline);
				}
				catch (TimeoutException ex) {
					problem = "no answer from head " + head.get().id() + " within " + attempt.toMillis() + " ms";
					unknown = true;
				}
			}
			else {
				this.heartbeats.soon();
				backoff.sleep(deadline);
			}
			if (System.nanoTime() - deadline >= 0) {
				throw new ChainUnavailableException("write of key '" + ChainVersionException.shorten(key)
						+ "' did not complete within " + this.options.writeTimeout() + ": " + problem
						+ (unknown ? " (it may have been applied; retry with the same write id)" : ""), unknown);
			}
		}
	}

	private void checkLimits(String key, byte[] value, String writeId) {
		ChainStoreOptions limits = this.parts.store().options();
		int keyBytes = AbstractChainStore.utf8Length(key);
		if (keyBytes == 0 || keyBytes > limits.maxKeyBytes()) {
			throw new ChainLimitException("key", keyBytes, limits.maxKeyBytes(), key);
		}
		if (value.length > this.parts.maxValueBytes) {
			throw new ChainLimitException("value", value.length, this.parts.maxValueBytes, key);
		}
		int idBytes = AbstractChainStore.utf8Length(writeId);
		if (idBytes == 0 || idBytes > limits.maxWriteIdBytes()) {
			throw new ChainLimitException("write id", idBytes, limits.maxWriteIdBytes(), key);
		}
	}

	// ---- reads ----

	@Override
	public Optional<ChainValue> read(String key, ReadMode mode) {
		long started = System.nanoTime();
		String kind = "failed";
		try {
			Served served = readWithRetries(key, mode == ReadMode.LOCAL);
			kind = served.kind();
			return Optional.ofNullable(served.answer().value());
		}
		finally {
			if (this.parts != null) {
				observeRead(Duration.ofNanos(System.nanoTime() - started), kind);
			}
		}
	}

	private Served readWithRetries(String key, boolean local) {
		requireRunning();
		int keyBytes = AbstractChainStore.utf8Length(key);
		if (keyBytes == 0 || keyBytes > this.parts.store().options().maxKeyBytes()) {
			throw new ChainLimitException("key", keyBytes, this.parts.store().options().maxKeyBytes(), key);
		}
		long deadline = System.nanoTime() + this.options.readTimeout().toNanos();
		String problem = "no serving chain member";
		Backoff backoff = new Backoff();
		int round = 0;
		while (true) {
			if (this.closed.get()) {
				throw new ChainUnavailableException("the chain of " + self().id() + " is closed", false);
			}
			ChainConfig config = this.parts.view.config();
			Duration attempt = attempt(deadline);
			try {
				if (this.parts.view.serving()) {
					ReadAnswer answer = await(this.node.serveRead(key, local), attempt);
					return new Served(answer, local ? "local" : answer.dirty() ? "dirty" : "clean");
				}
				List<ChainMember> targets = new ArrayList<>(config.members());
				targets.removeIf((member) -> member.id().equals(self().id()));
				if (!targets.isEmpty()) {
					ChainMember target = targets.get(Math.floorMod(round++ + (int) (System.nanoTime() >>> 10),
							targets.size()));
					ReadAnswer answer = await(
							this.parts.client.read(target.id(), attempt, config.version(), key, local), attempt);
					this.parts.counters.forwardedReads.increment();
					return new Served(answer, "forwarded");
				}
				this.heartbeats.soon();
			}
			catch (ChainRefusedException refused) {
				problem = refused.getMessage();
				learn(refused);
			}
			catch (ChainHopException | TimeoutException ex) {
				problem = ex.getMessage();
			}
			if (System.nanoTime() - deadline >= 0) {
				throw new ChainUnavailableException("read of key '" + ChainVersionException.shorten(key)
						+ "' did not complete within " + this.options.readTimeout() + ": " + problem, false);
			}
			backoff.sleep(deadline);
		}
	}

	// ---- helpers ----

	/** Adopts a configuration a refusal carried. @return whether it was news (retry at once) */
	private boolean learn(ChainRefusedException refused) {
		if (refused.config() != null && refused.config().version() > this.parts.view.config().version()) {
			this.node.adopt(refused.config());
			return true;
		}
		if (refused.reason() == ChainRefusedException.Reason.CONFIG_BEHIND
				|| refused.reason() == ChainRefusedException.Reason.WRONG_ROLE) {
			this.heartbeats.soon();
		}
		return false;
	}

	private Duration attempt(long deadline) {
		long left = Math.max(1, deadline - System.nanoTime());
		return Duration.ofNanos(Math.min(left, Math.max(MAX_ATTEMPT.toNanos(), this.options.hopTimeout().toNanos())));
	}

	private static <T> T await(CompletableFuture<T> future, Duration timeout) throws TimeoutException {
		try {
			return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (ExecutionException ex) {
			Throwable cause = HeadWrites.unwrap(ex);
			if (cause instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new ChainUnavailableException(String.valueOf(cause), true);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ChainUnavailableException("interrupted", true);
		}
	}

	private void requireRunning() {
		if (this.parts == null) {
			throw new ChainUnavailableException("the chain is not enabled on this member (hedge.chain.enabled)",
					false);
		}
		if (!this.running.get()) {
			throw new ChainUnavailableException("the chain of " + self().id() + " is "
					+ (this.closed.get() ? "closed" : "not started"), false);
		}
	}

	private ChainMember self() {
		return this.parts.self();
	}

	private void observeWrite(Duration duration, String outcome) {
		try {
			this.options.observer().onWrite(duration, outcome);
		}
		catch (RuntimeException ex) {
			logger.warn("Chain observer failed", ex);
		}
	}

	private void observeRead(Duration duration, String kind) {
		try {
			this.options.observer().onRead(duration, kind);
		}
		catch (RuntimeException ex) {
			logger.warn("Chain observer failed", ex);
		}
	}

	@Override
	public ChainState state() {
		if (this.parts == null) {
			return new ChainState(false, null, "none", false, ChainConfig.NONE, 0, false, 0, 0,
					new ChainStats(0, 0, 0, 0, 0, 0, 0, 0, 0));
		}
		ChainView view = this.parts.view;
		ChainStoreStats stats = this.parts.store().stats();
		return new ChainState(true, view.self(), view.role(), view.serving(), view.config(),
				view.leaseRemainingMillis(), view.self().durable(), stats.keys(), stats.dirtyKeys(),
				this.parts.counters.snapshot());
	}

	// ---- shutdown ----

	/** Leaves the chain gracefully, then stops every thread and closes the store. Idempotent. */
	@Override
	public void close() {
		if (this.parts == null || this.closed.getAndSet(true)) {
			return;
		}
		leave();
		stop(false);
		logger.info("Chain member {} closed", self().id());
	}

	/** Stops at once without leaving, as if the process had died. Idempotent. */
	public void halt() {
		if (this.parts == null || this.closed.getAndSet(true)) {
			return;
		}
		stop(true);
	}

	private void leave() {
		ChainView view = this.parts.view;
		view.leave();
		ChainConfig held = view.config();
		if (!this.running.get() || !held.inChain(self())) {
			return;
		}
		if (self().durable() && held.chain().size() == 1) {
			return; // the coordinator keeps a durable last member: its data is the chain's
		}
		long deadline = System.nanoTime() + LEAVE_WAIT.toNanos();
		long nextHeartbeat = 0;
		while (view.config().inChain(self()) && System.nanoTime() - deadline < 0) {
			if (System.nanoTime() - nextHeartbeat >= 0) {
				this.heartbeats.soon();
				nextHeartbeat = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
			}
			try {
				Thread.sleep(5);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		if (view.config().inChain(self())) {
			logger.warn("Chain member {} closes without a configuration that excludes it (waited {})", self().id(),
					LEAVE_WAIT);
		}
	}

	private void stop(boolean abruptly) {
		this.running.set(false);
		this.coordinator.close();
		this.node.close();
		// the timer holds only heartbeats and retries: nothing there must run once closing
		this.parts.timer.shutdownNow();
		if (abruptly) {
			this.parts.io.shutdownNow();
		}
		else {
			this.parts.io.shutdown();
		}
		try {
			this.parts.io.awaitTermination(2, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.parts.io.shutdownNow();
		this.node.catchUp().awaitClosed();
		try {
			this.parts.store().close();
		}
		catch (RuntimeException ex) {
			logger.warn("Chain member {} could not close its store", self().id(), ex);
		}
	}

	/** Sleeps 10 ms, doubling up to 200 ms, never past a deadline. */
	private static final class Backoff {

		private long millis = 10;

		void sleep(long deadline) {
			long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
			if (left <= 0) {
				return;
			}
			try {
				Thread.sleep(Math.min(this.millis, left));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new ChainUnavailableException("interrupted", true);
			}
			this.millis = Math.min(this.millis * 2, 200);
		}

	}

	/**
	 * What a member's chain runs on: the node's identity, election, membership and channels, the store of
	 * configurations, and the settings.
	 *
	 * @param group the group
	 * @param self this member's id ({@code host:port})
	 * @param leadership the election state (the coordinator runs while it leads)
	 * @param router where the leader is
	 * @param membership the member list (drives reconfiguration)
	 * @param channels the node's peer channels (member authentication applies)
	 * @param configs the store of chain configurations
	 * @param options the chain's settings
	 * @param membershipOptions heartbeat interval and member timeout (the chain's heartbeats and leases follow them)
	 * @param limits the transport limits (values are capped below the message limit)
	 * @param storeTimeout the deadline of configuration reads and writes
	 * @param ticker the monotonic clock
	 */
	public record Context(String group, String self, Leadership leadership, LeaderRouter router,
			Membership membership, PeerChannels channels, ChainConfigStore configs, ChainOptions options,
			MembershipOptions membershipOptions, GrpcLimits limits, Duration storeTimeout, Ticker ticker) {

	}

	/** A read's answer and how it was served (for the observer). */
	private record Served(ReadAnswer answer, String kind) {

	}

}
