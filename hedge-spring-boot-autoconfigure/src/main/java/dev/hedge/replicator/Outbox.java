package dev.hedge.replicator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hedge.crdt.ReplicatedData;
import dev.hedge.transport.grpc.proto.CrdtBatch;
import dev.hedge.transport.grpc.proto.DeltasReply;
import dev.hedge.transport.grpc.proto.DeltasRequest;

/**
 * Pushes this member's local updates to every other member. Updates are joined per name into a buffer; every delta
 * interval (at once when a MAJORITY or ALL write waits) the buffer is cut: encoded once, in batches under the message
 * limit, and queued to every member. Each member gets its queued cuts in order, in one {@code Deltas} call at a
 * time (carrying every cut queued meanwhile, so writers waiting together share calls), and acknowledges them
 * cumulatively.
 *
 * <p>A member whose call fails (or whose queue outgrows its cap while a call hangs) loses what was queued for it and
 * is marked to be repaired: the anti-entropy thread syncs with it as soon as it answers. Consistent writes wait on a
 * {@link Waiter}: the member's own confirmation (at once, or once in its durable snapshot) plus the acknowledgements
 * of the cut holding the write; a waiter fails as soon as too few members are left to confirm it, or at its timeout.
 *
 * <p>Threads: {@link #add} runs on updating threads (with the name's lock held), {@link #cut} on the replicator
 * thread, acknowledgements on gRPC's threads. Thread-safe (one lock).
 */
final class Outbox {

	private static final Logger logger = LoggerFactory.getLogger(Outbox.class);

	/** Sends one {@code Deltas} call to a member. */
	@FunctionalInterface
	interface Link {

		void deltas(String member, DeltasRequest request, StreamObserver<DeltasReply> reply);

	}

	private final Supplier<String> replica;

	private final Link link;

	private final int budget;

	private final long queueCap;

	private final ReplicatorObserver observer;

	private final Object lock = new Object();

	private Map<String, Codec.Named> buffer = new LinkedHashMap<>();

	private long cuts;

	/** The highest cut queued to its members (a cut is numbered first, then queued outside the lock). */
	private long distributed;

	private final Map<String, Peer> peers = new HashMap<>();

	private final List<Waiter> waiters = new ArrayList<>();

	private final Set<String> toRepair = ConcurrentHashMap.newKeySet();

	/**
	 * @param replica this member's replica id
	 * @param link sends calls
	 * @param budget the most bytes of values per call
	 * @param observer told of acknowledged batches
	 */
	Outbox(Supplier<String> replica, Link link, int budget, ReplicatorObserver observer) {
		this.replica = replica;
		this.link = link;
		this.budget = budget;
		this.queueCap = 8L * budget;
		this.observer = observer;
	}

	/**
	 * Joins a local update's delta into the buffer.
	 * @return the number of the cut it will go out in
	 */
	@SuppressWarnings({ "unchecked", "rawtypes" })
	long add(String name, DataType<?> type, ReplicatedData<?> delta) {
		synchronized (this.lock) {
			Codec.Named held = this.buffer.get(name);
			ReplicatedData joined = (held != null) ? ((ReplicatedData) held.value()).merge((ReplicatedData) delta)
					: delta;
			this.buffer.put(name, new Codec.Named(name, type, joined));
			return this.cuts + 1;
		}
	}

	/** Whether a waiter waits for a cut not made yet (the buffer should be cut at once). */
	boolean urgent() {
		synchronized (this.lock) {
			for (Waiter waiter : this.waiters) {
				if (waiter.cut > this.cuts) {
					return true;
				}
			}
			return false;
		}
	}

	/**
	 * Waits for cut {@code cut} to be confirmed by {@code required} members (this one included).
	 * @param self completes when this member confirms (at once, or once in its durable snapshot)
	 * @param durable whether the other members' confirmations must be durable
	 * @return the waiter (its future completes, or fails with {@link ReplicationTimeoutException})
	 */
	Waiter await(long cut, int required, boolean durable, CompletableFuture<?> self) {
		Waiter waiter = new Waiter(cut, required, durable);
		synchronized (this.lock) {
			this.waiters.add(waiter);
			// a cut numbered but not yet queued gets its members from cut() itself
			if (cut <= this.distributed) {
				waiter.peers = new HashSet<>();
				for (Peer peer : this.peers.values()) {
					if (peer.enqueued >= cut || peer.acked >= cut) {
						waiter.peers.add(peer.member);
					}
				}
			}
			evaluate(waiter);
		}
		self.whenComplete((ok, error) -> {
			synchronized (this.lock) {
				if (error == null) {
					waiter.self = true;
				}
				else {
					waiter.selfFailed = true;
				}
				evaluate(waiter);
			}
		});
		return waiter;
	}

	/** Fails a waiter that is still waiting (its timeout). */
	void expire(Waiter waiter) {
		synchronized (this.lock) {
			if (!waiter.future.isDone()) {
				this.waiters.remove(waiter);
				waiter.fail("the update was not confirmed in time");
			}
		}
	}

	/**
	 * Cuts the buffer and queues it to the given members (the current ones, this member excluded); members not in
	 * the list are forgotten.
	 */
	void cut(Collection<String> members) {
		Map<String, Codec.Named> taken;
		long cut;
		synchronized (this.lock) {
			boolean waited = false;
			for (Waiter waiter : this.waiters) {
				waited |= waiter.cut > this.cuts;
			}
			if (this.buffer.isEmpty() && !waited) {
				return;
			}
			taken = this.buffer;
			this.buffer = new LinkedHashMap<>();
			cut = ++this.cuts;
		}
		List<CrdtBatch> batches = Chunker.batches(this.budget, taken.values());
		long bytes = 0;
		for (CrdtBatch batch : batches) {
			bytes += batch.getSerializedSize();
		}
		Cut queued = new Cut(cut, batches, bytes);
		List<Peer> ready = new ArrayList<>();
		synchronized (this.lock) {
			Set<String> current = new HashSet<>(members);
			for (Iterator<Peer> it = this.peers.values().iterator(); it.hasNext();) {
				Peer peer = it.next();
				if (!current.contains(peer.member)) {
					it.remove();
					peer.lost = Long.MAX_VALUE;
				}
			}
			for (String member : current) {
				Peer peer = this.peers.computeIfAbsent(member, Peer::new);
				peer.queue.add(queued);
				peer.queuedBytes += bytes;
				peer.enqueued = cut;
				if (peer.queuedBytes > this.queueCap) {
					drop(peer);
				}
				else {
					ready.add(peer);
				}
			}
			this.distributed = Math.max(this.distributed, cut);
			for (Waiter waiter : new ArrayList<>(this.waiters)) {
				if (waiter.cut == cut && waiter.peers == null) {
					waiter.peers = new HashSet<>(current);
				}
				evaluate(waiter);
			}
			for (Peer peer : ready) {
				send(peer);
			}
		}
	}

	/** Sends what is queued for a member, unless a call to it is in flight. Holds the lock. */
	private void send(Peer peer) {
		if (peer.inFlight || peer.queue.isEmpty()) {
			return;
		}
		DeltasRequest.Builder request = DeltasRequest.newBuilder().setReplica(this.replica.get());
		long bytes = 0;
		int entries = 0;
		long last = 0;
		while (!peer.queue.isEmpty() && (bytes == 0 || bytes + peer.queue.peek().bytes <= this.budget)) {
			Cut cut = peer.queue.poll();
			request.addAllBatches(cut.batches);
			bytes += cut.bytes;
			for (CrdtBatch batch : cut.batches) {
				entries += batch.getEntriesCount();
			}
			last = cut.number;
		}
		peer.queuedBytes -= bytes;
		boolean durable = false;
		for (Waiter waiter : this.waiters) {
			durable |= waiter.durable && waiter.cut <= last;
		}
		request.setDurable(durable);
		peer.inFlight = true;
		long sent = last;
		long sentBytes = bytes;
		int sentEntries = entries;
		boolean askedDurable = durable;
		this.link.deltas(peer.member, request.build(), new StreamObserver<>() {

			@Override
			public void onNext(DeltasReply reply) {
				synchronized (Outbox.this.lock) {
					peer.acked = Math.max(peer.acked, sent);
					if (reply.getDurable()) {
						peer.ackedDurable = Math.max(peer.ackedDurable, sent);
					}
					else if (askedDurable) {
						peer.notDurable = Math.max(peer.notDurable, sent);
					}
				}
				Outbox.this.observer.deltasSent(sentEntries, sentBytes);
			}

			@Override
			public void onError(Throwable error) {
				logger.debug("Push of {} bytes to {} failed: {}", sentBytes, peer.member, error.toString());
				synchronized (Outbox.this.lock) {
					peer.inFlight = false;
					drop(peer);
					evaluateAll();
				}
			}

			@Override
			public void onCompleted() {
				synchronized (Outbox.this.lock) {
					peer.inFlight = false;
					evaluateAll();
					send(peer);
				}
			}

		});
	}

	/** Forgets what is queued for a member and marks it to be repaired. Holds the lock. */
	private void drop(Peer peer) {
		peer.queue.clear();
		peer.queuedBytes = 0;
		peer.lost = Math.max(peer.lost, peer.enqueued);
		this.toRepair.add(peer.member);
	}

	private void evaluateAll() {
		for (Waiter waiter : new ArrayList<>(this.waiters)) {
			evaluate(waiter);
		}
	}

	/** Completes or fails a waiter if it can be decided. Holds the lock. */
	private void evaluate(Waiter waiter) {
		if (waiter.future.isDone()) {
			this.waiters.remove(waiter);
			return;
		}
		int confirmed = waiter.self ? 1 : 0;
		int possible = (waiter.self || !waiter.selfFailed) ? 1 : 0;
		if (waiter.peers == null) {
			// not cut yet: every current member will get it
			possible = Integer.MAX_VALUE;
		}
		else {
			for (String member : waiter.peers) {
				Peer peer = this.peers.get(member);
				if (peer == null) {
					continue;
				}
				long acked = waiter.durable ? peer.ackedDurable : peer.acked;
				if (acked >= waiter.cut) {
					confirmed++;
					possible++;
				}
				else if (peer.lost < waiter.cut && !(waiter.durable && peer.notDurable >= waiter.cut)) {
					possible++;
				}
			}
		}
		waiter.confirmed = confirmed;
		if (confirmed >= waiter.required) {
			this.waiters.remove(waiter);
			waiter.future.complete(null);
		}
		else if (possible < waiter.required) {
			this.waiters.remove(waiter);
			if (logger.isDebugEnabled()) {
				StringBuilder why = new StringBuilder();
				for (String member : waiter.peers) {
					Peer peer = this.peers.get(member);
					why.append(' ').append(member).append((peer == null) ? "=gone" : "=acked " + peer.acked + "/lost "
							+ peer.lost + "/enqueued " + peer.enqueued);
				}
				logger.debug("Cut {} cannot be confirmed by {} members (self {}, selfFailed {}):{}", waiter.cut,
						waiter.required, waiter.self, waiter.selfFailed, why);
			}
			waiter.fail("too few members can confirm the update");
		}
	}

	/** Members that missed a push and wait for a repair. */
	Set<String> toRepair() {
		return this.toRepair;
	}

	/** Marks a member to be repaired (it was not reachable, or it is new). */
	void markToRepair(String member) {
		this.toRepair.add(member);
	}

	/** A repair of the member starts: pushes to it count again from now on. */
	void repairing(String member) {
		this.toRepair.remove(member);
	}

	int pending() {
		synchronized (this.lock) {
			return this.buffer.size();
		}
	}

	/** Fails every waiter (close). */
	void failAll() {
		synchronized (this.lock) {
			for (Waiter waiter : this.waiters) {
				waiter.fail("the replicator closed");
			}
			this.waiters.clear();
		}
	}

	/** One cut, as queued to every member. */
	private record Cut(long number, List<CrdtBatch> batches, long bytes) {
	}

	/** What is queued for one member. Guarded by the outbox's lock. */
	private static final class Peer {

		final String member;

		final Deque<Cut> queue = new ArrayDeque<>();

		long queuedBytes;

		boolean inFlight;

		long enqueued;

		long acked;

		long ackedDurable;

		long notDurable;

		long lost;

		Peer(String member) {
			this.member = member;
		}

	}

	/** A consistent write waiting for confirmations. */
	static final class Waiter {

		final long cut;

		final int required;

		final boolean durable;

		final CompletableFuture<Void> future = new CompletableFuture<>();

		/** The members the cut was queued to (null until it is cut). */
		Set<String> peers;

		boolean self;

		boolean selfFailed;

		volatile int confirmed;

		Waiter(long cut, int required, boolean durable) {
			this.cut = cut;
			this.required = required;
			this.durable = durable;
		}

		CompletableFuture<Void> future() {
			return this.future;
		}

		int confirmed() {
			return this.confirmed;
		}

		private void fail(String why) {
			this.future.completeExceptionally(new ReplicationTimeoutException(why, this.confirmed, this.required));
		}

	}

}
