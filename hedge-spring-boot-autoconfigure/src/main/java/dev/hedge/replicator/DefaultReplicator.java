package dev.hedge.replicator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.BindableService;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hedge.common.NamedThreads;
import dev.hedge.common.NotRunningException;
import dev.hedge.crdt.ReplicatedData;
import dev.hedge.election.Leadership;
import dev.hedge.membership.Membership;
import dev.hedge.membership.MembershipListener;
import dev.hedge.transport.grpc.GrpcLimits;
import dev.hedge.transport.grpc.PeerChannels;
import dev.hedge.transport.grpc.proto.CrdtBatch;
import dev.hedge.transport.grpc.proto.ReadReply;
import dev.hedge.transport.grpc.proto.ReadRequest;

/**
 * The {@link Replicator} of one member: composes the local state, the outbox, anti-entropy, durability, pruning and
 * the listeners, and owns their threads (see {@link Replicator} for the contract).
 */
final class DefaultReplicator implements Replicator {

	private static final Logger logger = LoggerFactory.getLogger(DefaultReplicator.class);

	private static final int SYNC_THREADS = 3;

	private final String group;

	private final String member;

	private final Membership membership;

	private final ReplicatorOptions options;

	private final ReplicatorObserver observer;

	private final int budget;

	private final int maxDelta;

	private final LocalState state;

	private final DigestTree tree;

	private final Peers peers = new Peers();

	private final Stubs stubs;

	private final Outbox outbox;

	private final Durability durability;

	private final Notifier notifier;

	private final AntiEntropy antiEntropy;

	private final Pruner pruner;

	private final ReplicatorService service;

	private final ScheduledExecutorService loop;

	private final ExecutorService syncs;

	private final ScheduledExecutorService storeThread;

	private final Set<String> syncing = ConcurrentHashMap.newKeySet();

	private final AtomicBoolean cutScheduled = new AtomicBoolean();

	private final AtomicBoolean pruning = new AtomicBoolean();

	private final ThreadLocal<long[]> lastLocal = ThreadLocal.withInitial(() -> new long[2]);

	private final MembershipListener newMembers;

	private volatile boolean running = true;

	private long nextGossipNanos;

	private long nextPruningNanos;

	DefaultReplicator(String group, String member, Leadership leadership, Membership membership,
			PeerChannels channels, GrpcLimits limits, ReplicatorOptions options, ReplicaSnapshotStore store,
			Duration storeTimeout, ReplicatorObserver observer) {
		this.group = group;
		this.member = member;
		this.membership = membership;
		this.options = options;
		this.observer = observer;
		this.budget = Math.max(512, limits.maxMessageBytes() / 2 - 4096);
		this.maxDelta = this.budget / 4;
		String owner = NamedThreads.owner(group);
		this.state = new LocalState(member, Names.newReplica(member), this::changed);
		this.tree = new DigestTree(this.state);
		this.stubs = new Stubs(channels, options);
		this.outbox = new Outbox(this.state::replica, this::push, this.budget, observer);
		this.loop = Executors.newSingleThreadScheduledExecutor(NamedThreads.single(owner, "crdt"));
		this.syncs = Executors.newFixedThreadPool(SYNC_THREADS, NamedThreads.pool(owner, "crdt-sync"));
		if (options.durable() && store != null) {
			this.storeThread = Executors.newSingleThreadScheduledExecutor(NamedThreads.single(owner, "crdt-store"));
			this.durability = new Durability(group, this.state.replica(), store, this.state, this.storeThread, options,
					storeTimeout, observer);
		}
		else {
			if (options.durable()) {
				logger.warn("hedge.crdt.durable.enabled is set but the store of group '{}' keeps no replicated data:"
						+ " replicated data is not durable", group);
			}
			this.storeThread = null;
			this.durability = null;
		}
		this.notifier = new Notifier(owner, this.state, options);
		this.antiEntropy = new AntiEntropy(this.state, this.tree, this.stubs, this.peers, this.budget, options,
				observer);
		this.pruner = new Pruner(group, member, this.state, leadership, membership, this.peers, store,
				this.antiEntropy::sync, options, storeTimeout, observer);
		this.service = new ReplicatorService(this.state, this.tree, this.durability, this.peers, this.budget,
				observer);
		this.newMembers = (change) -> change.added().forEach(this::repairSoon);
	}

	/** Starts the threads: pushes, anti-entropy, durability. */
	void start() {
		this.membership.addListener(this.newMembers);
		this.membership.members().forEach(this::repairSoon);
		if (this.durability != null) {
			this.durability.start();
		}
		long tick = this.options.deltaInterval().toNanos();
		long now = System.nanoTime();
		this.nextGossipNanos = now + this.options.gossipInterval().toNanos();
		this.nextPruningNanos = now + this.options.pruningInterval().toNanos();
		this.loop.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.NANOSECONDS);
		logger.debug("Replicator of group '{}' started as {}", this.group, this.state.replica());
	}

	private void repairSoon(String peer) {
		if (!peer.equals(this.member)) {
			this.outbox.markToRepair(peer);
		}
	}

	// ---- changes ----

	private void changed(LocalState.Entry entry, ReplicatedData<?> delta, boolean local) {
		long cut = local ? this.outbox.add(entry.name, entry.type, delta) : 0;
		long change = (this.durability != null) ? this.durability.record(entry.name, entry.type, delta) : 0;
		this.notifier.changed(entry.name);
		if (local) {
			long[] last = this.lastLocal.get();
			last[0] = cut;
			last[1] = change;
		}
	}

	private void checkDelta(ReplicatedData<?> delta, String name, DataType<?> type) {
		int size = new Codec.Batch().add(name, type, delta);
		if (size > this.maxDelta) {
			throw new ReplicatedValueTooLargeException("An update of '" + name + "' whose delta takes " + size
					+ " bytes (at most " + this.maxDelta + " with hedge.transport.max-message-size "
					+ (2 * this.budget) + " bytes)");
		}
	}

	/** Checks an element, key or register value before an update. */
	void checkElement(DataType<?> type, Object element) {
		type.scalar().check(element, this.maxDelta / 2);
	}

	// ---- the API ----

	private void requireRunning() {
		if (!this.running) {
			throw new NotRunningException("the replicated data of group '" + this.group + "' is closed");
		}
	}

	@Override
	public String replicaId() {
		return this.state.replica();
	}

	@Override
	public <T extends ReplicatedData<T>> Optional<T> get(String name, DataType<T> type) {
		return this.state.get(Names.check(name), type);
	}

	@Override
	public <T extends ReplicatedData<T>> Optional<T> get(String name, DataType<T> type, Consistency consistency) {
		Names.check(name);
		if (consistency.level() == Consistency.Level.LOCAL) {
			return this.state.get(name, type);
		}
		requireRunning();
		this.state.get(name, type);
		long start = System.nanoTime();
		List<String> others = others();
		int required = consistency.required(others.size() + 1);
		int needed = required - 1;
		CompletableFuture<Void> done = new CompletableFuture<>();
		AtomicInteger answered = new AtomicInteger();
		AtomicInteger failed = new AtomicInteger();
		if (needed <= 0) {
			done.complete(null);
		}
		for (String peer : others) {
			this.stubs.async(peer, consistency.timeout())
				.read(ReadRequest.newBuilder().setReplica(this.state.replica()).setKey(name).build(), new StreamObserver<>() {

					@Override
					public void onNext(ReadReply reply) {
						DefaultReplicator.this.peers.seen(peer, reply.getReplica());
						merge(reply.getBatch());
					}

					@Override
					public void onError(Throwable error) {
						if (others.size() - failed.incrementAndGet() < needed) {
							done.completeExceptionally(new ReplicationTimeoutException("too few members answered the"
									+ " read of '" + name + "'", answered.get() + 1, required));
						}
					}

					@Override
					public void onCompleted() {
						if (answered.incrementAndGet() >= needed) {
							done.complete(null);
						}
					}

				});
		}
		boolean ok = false;
		try {
			await(done, consistency.timeout(), () -> new ReplicationTimeoutException("the read of '" + name
					+ "' was not answered in time", answered.get() + 1, required));
			ok = true;
			return this.state.get(name, type);
		}
		finally {
			this.observer.consistent(false, consistency.level(), ok, System.nanoTime() - start);
		}
	}

	private void merge(CrdtBatch batch) {
		try {
			List<Codec.Named> values = Codec.decode(batch);
			for (Codec.Named named : values) {
				this.state.merge(named.key(), named.type(), named.value());
			}
			this.observer.deltasReceived(values.size(), batch.getSerializedSize());
		}
		catch (MalformedDataException ex) {
			logger.warn("Ignored a malformed reply: {}", ex.getMessage());
		}
	}

	@Override
	public <T extends ReplicatedData<T>> T update(String name, DataType<T> type, Modify<T> modify) {
		return update(name, type, modify, this.options.writeConsistency());
	}

	@Override
	public <T extends ReplicatedData<T>> T update(String name, DataType<T> type, Modify<T> modify,
			Consistency consistency) {
		return update(name, type, modify, consistency, Witness.whole());
	}

	/** An update; a consistent one that changed nothing here ships {@code witness} of the current value. */
	<T extends ReplicatedData<T>> T update(String name, DataType<T> type, Modify<T> modify, Consistency consistency,
			Witness<T> witness) {
		Names.check(name);
		requireRunning();
		long start = System.nanoTime();
		long[] last = this.lastLocal.get();
		last[0] = 0;
		last[1] = 0;
		T result = this.state.update(name, type, modify, (delta) -> checkDelta(delta, name, type));
		if (consistency.level() == Consistency.Level.LOCAL) {
			return result;
		}
		long cut = last[0];
		long change = last[1];
		if (cut == 0) {
			ReplicatedData<?> shown = (result != null) ? witness.of(result) : null;
			if (shown != null) {
				cut = this.outbox.add(name, type, shown);
			}
			else {
				cut = this.outbox.add(name, type, type.empty());
			}
			change = (this.durability != null) ? this.durability.recorded() : 0;
		}
		int required = consistency.required(others().size() + 1);
		CompletableFuture<?> self = (this.durability != null) ? this.durability.awaitFlushed(change)
				: CompletableFuture.completedFuture(null);
		Outbox.Waiter waiter = this.outbox.await(cut, required, this.durability != null, self);
		cutSoon();
		boolean ok = false;
		try {
			await(waiter.future(), consistency.timeout(), () -> {
				this.outbox.expire(waiter);
				return new ReplicationTimeoutException("the update of '" + name + "' was not confirmed in time",
						waiter.confirmed(), required);
			});
			ok = true;
			return result;
		}
		finally {
			this.observer.consistent(true, consistency.level(), ok, System.nanoTime() - start);
		}
	}

	private static void await(CompletableFuture<?> future, Duration timeout,
			java.util.function.Supplier<ReplicationTimeoutException> late) {
		try {
			future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			throw late.get();
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new ReplicationException("replication failed", ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ReplicationException("interrupted while waiting for confirmations", ex);
		}
	}

	/** The other members, as this member knows them. */
	private List<String> others() {
		List<String> others = new ArrayList<>(this.membership.members());
		others.remove(this.member);
		return others;
	}

	@Override
	public Map<String, DataType<?>> names() {
		Map<String, DataType<?>> names = new HashMap<>();
		for (LocalState.Entry entry : this.state.entries()) {
			if (entry.value != null) {
				names.put(entry.name, entry.type);
			}
		}
		return Collections.unmodifiableMap(names);
	}

	@Override
	public ReplicatedCounter counter(String name) {
		return new ReplicatedCounter(this, name);
	}

	@Override
	public <E> ReplicatedSet<E> set(String name, Class<E> elementType) {
		return new ReplicatedSet<>(this, name, elementType);
	}

	@Override
	public <E> ReplicatedGrowOnlySet<E> growOnlySet(String name, Class<E> elementType) {
		return new ReplicatedGrowOnlySet<>(this, name, elementType);
	}

	@Override
	public <V> ReplicatedRegister<V> register(String name, Class<V> valueType) {
		return new ReplicatedRegister<>(this, name, valueType);
	}

	@Override
	public <K, V extends ReplicatedData<V>> ReplicatedMap<K, V> map(String name, Class<K> keyType,
			DataType<V> valueType) {
		return new ReplicatedMap<>(this, name, keyType, valueType);
	}

	@Override
	public void addListener(ReplicatedDataListener listener) {
		this.notifier.add(listener);
	}

	@Override
	public void removeListener(ReplicatedDataListener listener) {
		this.notifier.remove(listener);
	}

	/** The most bytes of entries per message (half the transport's message size, less the envelope), for tests. */
	int chunkBudget() {
		return this.budget;
	}

	@Override
	public ReplicatorStats stats() {
		boolean durable = this.durability != null;
		return new ReplicatorStats(this.state.replica(), names().size(), durable,
				!durable || this.durability.loaded(), durable ? this.durability.unflushed() : 0,
				durable ? this.durability.millisSinceFlush() : -1, this.outbox.pending(), Set.copyOf(this.outbox.toRepair()),
				this.antiEntropy.lastDiffering(), this.antiEntropy.repaired(), this.state.typeConflicts(),
				this.pruner.pruned());
	}

	@Override
	public ReplicatorOptions options() {
		return this.options;
	}

	@Override
	public BindableService service() {
		return this.service;
	}

	// ---- the threads ----

	/** Every delta interval, on the replicator thread: push, repair, gossip, prune. */
	private void tick() {
		if (!this.running) {
			return;
		}
		try {
			cut();
			List<String> others = others();
			for (String peer : List.copyOf(this.outbox.toRepair())) {
				if (!others.contains(peer)) {
					this.outbox.repairing(peer);
				}
				else {
					syncSoon(peer, true);
				}
			}
			long now = System.nanoTime();
			if (now - this.nextGossipNanos >= 0 && !others.isEmpty()) {
				this.nextGossipNanos = now + this.options.gossipInterval().toNanos();
				syncSoon(others.get(ThreadLocalRandom.current().nextInt(others.size())), false);
			}
			if (now - this.nextPruningNanos >= 0) {
				this.nextPruningNanos = now + this.options.pruningInterval().toNanos();
				if (this.pruning.compareAndSet(false, true)) {
					this.syncs.execute(() -> {
						try {
							this.pruner.run();
						}
						finally {
							this.pruning.set(false);
						}
					});
				}
			}
		}
		catch (RejectedExecutionException ex) {
			// closing
		}
		catch (RuntimeException ex) {
			logger.warn("Replicator tick failed", ex);
		}
	}

	private void cut() {
		this.cutScheduled.set(false);
		this.outbox.cut(others());
	}

	/** Cuts the outbox at once on the replicator thread (coalesced). */
	private void cutSoon() {
		if (this.cutScheduled.compareAndSet(false, true)) {
			try {
				this.loop.execute(this::cut);
			}
			catch (RejectedExecutionException ex) {
				this.cutScheduled.set(false);
			}
		}
	}

	/** Starts an anti-entropy round with a member on a sync thread, unless one runs already. */
	private void syncSoon(String peer, boolean repair) {
		if (!this.syncing.add(peer)) {
			return;
		}
		if (repair) {
			this.outbox.repairing(peer);
		}
		try {
			this.syncs.execute(() -> {
				try {
					AntiEntropy.Outcome outcome = this.antiEntropy.run(peer);
					// a partial round (a large difference, as with a new member) goes on at the next tick
					if ((outcome == AntiEntropy.Outcome.PARTIAL || (outcome == AntiEntropy.Outcome.FAILED && repair))
							&& this.running) {
						this.outbox.markToRepair(peer);
					}
				}
				finally {
					this.syncing.remove(peer);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			this.syncing.remove(peer);
		}
	}

	/** The outbox's link: one asynchronous {@code Deltas} call. */
	private void push(String peer, dev.hedge.transport.grpc.proto.DeltasRequest request,
			StreamObserver<dev.hedge.transport.grpc.proto.DeltasReply> reply) {
		try {
			this.stubs.async(peer, this.options.callTimeout()).deltas(request, new StreamObserver<>() {

				@Override
				public void onNext(dev.hedge.transport.grpc.proto.DeltasReply value) {
					DefaultReplicator.this.peers.seen(peer, value.getReplica());
					reply.onNext(value);
				}

				@Override
				public void onError(Throwable error) {
					reply.onError(error);
				}

				@Override
				public void onCompleted() {
					reply.onCompleted();
				}

			});
		}
		catch (RuntimeException ex) {
			reply.onError(ex);
		}
	}

	@Override
	public void close() {
		if (!this.running) {
			return;
		}
		this.running = false;
		this.membership.removeListener(this.newMembers);
		try {
			// push what is pending, briefly
			this.loop.submit(this::cut).get(1, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException | RejectedExecutionException ex) {
			logger.debug("Final push failed: {}", ex.toString());
		}
		if (this.durability != null) {
			try {
				this.storeThread.submit(this.durability::finalFlush).get(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (ExecutionException | TimeoutException | RejectedExecutionException ex) {
				logger.warn("The final store flush of the replicated data failed: {}", ex.toString());
			}
		}
		stop();
	}

	@Override
	public void halt() {
		if (!this.running) {
			return;
		}
		this.running = false;
		this.membership.removeListener(this.newMembers);
		stop();
	}

	private void stop() {
		this.loop.shutdownNow();
		this.syncs.shutdownNow();
		if (this.storeThread != null) {
			this.storeThread.shutdownNow();
			this.durability.failWaiters();
		}
		this.notifier.close();
		this.outbox.failAll();
		try {
			this.loop.awaitTermination(2, TimeUnit.SECONDS);
			this.syncs.awaitTermination(2, TimeUnit.SECONDS);
			if (this.storeThread != null) {
				this.storeThread.awaitTermination(2, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
