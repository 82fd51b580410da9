package dev.hedge.sos;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.grpc.BindableService;
import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hedge.common.NamedThreads;
import dev.hedge.membership.Membership;
import dev.hedge.transport.grpc.Failure;
import dev.hedge.transport.grpc.PeerChannels;
import dev.hedge.transport.grpc.proto.SosDeleteReply;
import dev.hedge.transport.grpc.proto.SosDeleteRequest;
import dev.hedge.transport.grpc.proto.SosKeepAliveReply;
import dev.hedge.transport.grpc.proto.SosKeepAliveRequest;
import dev.hedge.transport.grpc.proto.SpillOverGrpc;

/**
 * The SoS of one member, on Apache Arrow. Created only through {@link SpillOverFactory} once Arrow is known to be on
 * the classpath. See {@link SpillOver}.
 */
final class ArrowSpillOver implements SpillOver {

	private static final Logger logger = LoggerFactory.getLogger(ArrowSpillOver.class);

	private static final long PEER_CALL_MILLIS = 2000;

	private static final long DELETE_WAIT_MILLIS = 5000;

	/**
	 * Longest pause between janitor rounds: keep-alives are due every third of a peer's lease, and a lease is at
	 * least the 1 s minimum TTL, so a round every 250 ms is always in time.
	 */
	private static final long JANITOR_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

	final NodeResources resources;

	private final String owner;

	private final String self;

	private final Membership membership;

	private final PeerChannels channels;

	private final SpillOverOptions options;

	private final int maxRecordBytes;

	private final long ttlNanos;

	private final Map<String, StoreState> stores = new ConcurrentHashMap<>();

	private final HeldSegments held;

	private ScheduledExecutorService janitor;

	private volatile boolean closed;

	private ArrowSpillOver(String group, String self, Membership membership, PeerChannels channels, int maxRecordBytes,
			SpillOverOptions options) {
		this.owner = NamedThreads.owner(group);
		this.self = self;
		this.membership = membership;
		this.channels = channels;
		this.options = options;
		this.maxRecordBytes = maxRecordBytes;
		this.ttlNanos = options.ttl().toNanos();
		this.resources = new NodeResources(options);
		this.held = new HeldSegments(this.resources, this.ttlNanos, this::startJanitor);
	}

	static SpillOver create(String group, String self, Membership membership, PeerChannels channels,
			int maxRecordBytes, SpillOverOptions options) {
		return new ArrowSpillOver(group, self, membership, channels, maxRecordBytes, options);
	}

	String self() {
		return this.self;
	}

	long ttlNanos() {
		return this.ttlNanos;
	}

	@Override
	public int maxRecordBytes() {
		return this.maxRecordBytes;
	}

	@Override
	public SpillOverOptions options() {
		return this.options;
	}

	@Override
	public boolean isAvailable() {
		return true;
	}

	@Override
	public SpillOverStore store(String name) {
		Objects.requireNonNull(name, "name");
		if (name.isBlank() || name.length() > SpillOverService.MAX_STORE_NAME) {
			throw new IllegalArgumentException(
					"spill-over store name must have 1.." + SpillOverService.MAX_STORE_NAME + " characters");
		}
		while (true) {
			checkOpen();
			startJanitor();
			StoreState state = this.stores.compute(name,
					(key, existing) -> (existing == null || existing.isFreed()) ? new StoreState(this, key) : existing);
			if (state.acquireHandle()) {
				return new StoreHandle(state);
			}
		}
	}

	private void checkOpen() {
		if (this.closed) {
			throw new SosClosedException("the spill-over store of member " + this.self + " is closed");
		}
	}

	/**
	 * The other members in placement order: sorted ids, starting after this member's, wrapping around.
	 * @return the peers
	 */
	List<String> peerOrder() {
		List<String> sorted = new ArrayList<>(this.membership.members());
		sorted.sort(null);
		List<String> after = new ArrayList<>();
		List<String> before = new ArrayList<>();
		for (String member : sorted) {
			int order = member.compareTo(this.self);
			if (order > 0) {
				after.add(member);
			}
			else if (order < 0) {
				before.add(member);
			}
		}
		after.addAll(before);
		return after;
	}

	Channel channel(String peer) {
		checkOpen();
		return this.channels.channel(peer);
	}

	private synchronized void startJanitor() {
		if (this.janitor != null || this.closed) {
			return;
		}
		this.janitor = Executors.newSingleThreadScheduledExecutor(NamedThreads.single(this.owner, "sos-janitor"));
		long period = Math.min(JANITOR_PERIOD_NANOS, this.ttlNanos / 4);
		this.janitor.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.NANOSECONDS);
	}

	private void tick() {
		try {
			long now = System.nanoTime();
			for (StoreState state : this.stores.values()) {
				if (state.expired(now, this.ttlNanos)) {
					this.stores.remove(state.name, state);
					List<String> peers = state.free("expired (TTL passed)");
					deleteOnPeers(state, peers);
					logger.debug("Spill-over store '{}' expired", state.name);
				}
				else {
					for (String peer : state.keepAlivesDue(now)) {
						keepAlive(state, peer);
					}
				}
			}
			this.held.expire(now);
		}
		catch (RuntimeException ex) {
			logger.error("Spill-over janitor failed", ex);
		}
	}

	private void keepAlive(StoreState state, String peer) {
		try {
			SpillOverGrpc.newStub(channel(peer))
				.withDeadlineAfter(PEER_CALL_MILLIS, TimeUnit.MILLISECONDS)
				.keepAlive(SosKeepAliveRequest.newBuilder().setStore(state.name).setInstance(state.instance).build(),
						new StreamObserver<>() {
							@Override
							public void onNext(SosKeepAliveReply reply) {
								if (reply.getSegments() == 0 && !state.isFreed()) {
									logger.warn("Member {} no longer holds the segments of spill-over store '{}';"
											+ " reading them will fail", peer, state.name);
								}
							}

							@Override
							public void onError(Throwable error) {
								logger.debug("Keep-alive of spill-over store '{}' on {} failed: {}", state.name, peer,
										Failure.from(error).message());
							}

							@Override
							public void onCompleted() {
							}
						});
		}
		catch (RuntimeException ex) {
			logger.debug("Keep-alive of spill-over store '{}' on {} not sent: {}", state.name, peer, ex.toString());
		}
	}

	private CompletableFuture<Void> deleteOnPeers(StoreState state, List<String> peers) {
		List<CompletableFuture<Void>> calls = new ArrayList<>();
		for (String peer : peers) {
			CompletableFuture<Void> done = new CompletableFuture<>();
			calls.add(done);
			try {
				SpillOverGrpc.newStub(this.channels.channel(peer))
					.withDeadlineAfter(PEER_CALL_MILLIS, TimeUnit.MILLISECONDS)
					.delete(SosDeleteRequest.newBuilder().setStore(state.name).setInstance(state.instance).build(),
							new StreamObserver<>() {
								@Override
								public void onNext(SosDeleteReply reply) {
									logger.debug("Member {} freed {} records of spill-over store '{}'", peer,
											reply.getRecords(), state.name);
								}

								@Override
								public void onError(Throwable error) {
									logger.warn("Could not delete the segments of spill-over store '{}' on member {}"
											+ " ({}); it frees them when its TTL has passed", state.name, peer,
											Failure.from(error).message());
									done.complete(null);
								}

								@Override
								public void onCompleted() {
									done.complete(null);
								}
							});
			}
			catch (RuntimeException ex) {
				logger.warn("Could not delete the segments of spill-over store '{}' on member {} ({}); it frees them"
						+ " when its TTL has passed", state.name, peer, ex.toString());
				done.complete(null);
			}
		}
		return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new));
	}

	void delete(StoreState state) {
		this.stores.remove(state.name, state);
		List<String> peers = state.free("deleted");
		await(deleteOnPeers(state, peers), DELETE_WAIT_MILLIS);
	}

	private static void await(CompletableFuture<Void> future, long millis) {
		try {
			future.get(millis, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (TimeoutException | java.util.concurrent.ExecutionException ex) {
			logger.warn("Spill-over peers did not confirm the delete within {} ms", millis);
		}
	}

	@Override
	public SpillOverStats stats() {
		TierStats[] heldStats = this.held.stats();
		Budget budget = this.resources.budget;
		return new SpillOverStats(budget.memoryLimit(), budget.memoryUsed(), this.resources.offHeapBytes(),
				budget.diskLimit(), budget.diskUsed(), this.resources.files.dataFiles(), this.stores.size(),
				this.held.segments(), heldStats[0], heldStats[1]);
	}

	@Override
	public BindableService service() {
		return new SpillOverService(this.held, TimeUnit.NANOSECONDS.toMillis(this.ttlNanos));
	}

	@Override
	public void close() {
		stop(true);
	}

	@Override
	public void halt() {
		stop(false);
	}

	private void stop(boolean tellPeers) {
		synchronized (this) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			if (this.janitor != null) {
				this.janitor.shutdownNow();
			}
		}
		if (this.janitor != null) {
			try {
				this.janitor.awaitTermination(2, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		List<CompletableFuture<Void>> deletes = new ArrayList<>();
		for (StoreState state : new ArrayList<>(this.stores.values())) {
			this.stores.remove(state.name, state);
			List<String> peers = state.free("closed (the member's spill-over store closed)");
			if (tellPeers) {
				deletes.add(deleteOnPeers(state, peers));
			}
		}
		this.held.freeAll();
		if (!deletes.isEmpty()) {
			await(CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new)), PEER_CALL_MILLIS);
		}
		this.resources.close();
	}

}
