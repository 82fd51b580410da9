package dev.hedge.replicator;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

import com.google.protobuf.ByteString;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

import dev.hedge.crdt.ReplicatedData;
import dev.hedge.transport.grpc.Failure;
import dev.hedge.transport.grpc.HedgeHeaders;
import dev.hedge.transport.grpc.proto.CrdtBatch;
import dev.hedge.transport.grpc.proto.CrdtLeaves;
import dev.hedge.transport.grpc.proto.CrdtPart;
import dev.hedge.transport.grpc.proto.DeltasReply;
import dev.hedge.transport.grpc.proto.DeltasRequest;
import dev.hedge.transport.grpc.proto.DigestReply;
import dev.hedge.transport.grpc.proto.DigestRequest;
import dev.hedge.transport.grpc.proto.ReadReply;
import dev.hedge.transport.grpc.proto.ReadRequest;
import dev.hedge.transport.grpc.proto.ReplicatorGrpc;
import dev.hedge.transport.grpc.proto.SyncReply;
import dev.hedge.transport.grpc.proto.SyncRequest;

/**
 * The member side of {@code hedge.v1.Replicator}: merges pushed values, answers consistent reads and the two steps
 * of anti-entropy. A malformed request (values that do not decode, a digest of the wrong size, a leaf out of range)
 * ends the call with INVALID_ARGUMENT and changes nothing of what it could not decode; an entry whose type differs
 * from the one held under its name is ignored and counted. Streamed replies respect the caller's flow control.
 * Calls run on gRPC's threads; thread-safe.
 */
final class ReplicatorService extends ReplicatorGrpc.ReplicatorImplBase {

	private final LocalState state;

	private final DigestTree tree;

	private final Durability durability;

	private final Peers peers;

	private final int budget;

	private final ReplicatorObserver observer;

	ReplicatorService(LocalState state, DigestTree tree, Durability durability, Peers peers, int budget,
			ReplicatorObserver observer) {
		this.state = state;
		this.tree = tree;
		this.durability = durability;
		this.peers = peers;
		this.budget = budget;
		this.observer = observer;
	}

	private void seen(String replica) {
		this.peers.seen(HedgeHeaders.caller().sender(), replica);
	}

	@Override
	public void deltas(DeltasRequest request, StreamObserver<DeltasReply> responses) {
		List<List<Codec.Named>> decoded = new ArrayList<>();
		try {
			for (CrdtBatch batch : request.getBatchesList()) {
				decoded.add(Codec.decode(batch));
			}
		}
		catch (MalformedDataException ex) {
			responses.onError(Failure.of(Failure.Kind.INVALID, ex.getMessage()).toException());
			return;
		}
		seen(request.getReplica());
		for (int i = 0; i < decoded.size(); i++) {
			for (Codec.Named named : decoded.get(i)) {
				this.state.merge(named.key(), named.type(), named.value());
			}
			this.observer.deltasReceived(decoded.get(i).size(), request.getBatches(i).getSerializedSize());
		}
		DeltasReply.Builder reply = DeltasReply.newBuilder().setReplica(this.state.replica());
		if (!request.getDurable() || this.durability == null) {
			responses.onNext(reply.build());
			responses.onCompleted();
			return;
		}
		this.durability.awaitFlushed(this.durability.recorded()).whenComplete((ok, error) -> {
			responses.onNext(reply.setDurable(error == null).build());
			responses.onCompleted();
		});
	}

	@Override
	public void read(ReadRequest request, StreamObserver<ReadReply> responses) {
		seen(request.getReplica());
		LocalState.Entry entry = this.state.entry(request.getKey());
		ReplicatedData<?> value = (entry != null) ? entry.value : null;
		List<CrdtBatch> batches = new ArrayList<>();
		if (value != null) {
			Chunker chunker = new Chunker(this.budget, batches::add);
			chunker.add(entry.name, entry.type, value);
			chunker.finish();
		}
		String replica = this.state.replica();
		drain((ServerCallStreamObserver<ReadReply>) responses, batches.iterator(),
				(batch) -> ReadReply.newBuilder().setReplica(replica).setBatch(batch).build());
	}

	@Override
	public void digest(DigestRequest request, StreamObserver<DigestReply> responses) {
		if (request.getBucketsCount() != DigestTree.BUCKETS) {
			responses.onError(Failure.of(Failure.Kind.INVALID, "a digest has " + DigestTree.BUCKETS + " buckets, not "
					+ request.getBucketsCount()).toException());
			return;
		}
		seen(request.getReplica());
		long[] leaves = this.tree.leaves();
		long[] buckets = DigestTree.buckets(leaves);
		DigestReply.Builder reply = DigestReply.newBuilder().setReplica(this.state.replica());
		// the differing buckets that fit in one message (at least one), from a random bucket on so that no bucket
		// waits behind others that keep differing; the sender comes back for the rest
		long bytes = 0;
		int first = ThreadLocalRandom.current().nextInt(DigestTree.BUCKETS);
		for (int i = 0; i < DigestTree.BUCKETS; i++) {
			int bucket = (first + i) % DigestTree.BUCKETS;
			if (buckets[bucket] != request.getBuckets(bucket)) {
				CrdtLeaves.Builder differing = CrdtLeaves.newBuilder().setBucket(bucket);
				for (long leaf : DigestTree.bucketLeaves(leaves, bucket)) {
					differing.addLeaves(leaf);
				}
				CrdtLeaves built = differing.build();
				int size = built.getSerializedSize() + 4;
				if (reply.getDifferingCount() > 0 && bytes + size > this.budget) {
					reply.setTruncated(true);
					break;
				}
				bytes += size;
				reply.addDiffering(built);
			}
		}
		responses.onNext(reply.build());
		responses.onCompleted();
	}

	@Override
	public void sync(SyncRequest request, StreamObserver<SyncReply> responses) {
		boolean[] leaves = new boolean[DigestTree.LEAVES];
		for (int leaf : request.getLeavesList()) {
			if (leaf < 0 || leaf >= DigestTree.LEAVES) {
				responses.onError(Failure.of(Failure.Kind.INVALID, "leaf " + leaf + " out of range").toException());
				return;
			}
			leaves[leaf] = true;
		}
		seen(request.getReplica());
		Map<String, Map<ByteBuffer, Long>> theirs = new HashMap<>();
		for (CrdtPart part : request.getPartsList()) {
			theirs.computeIfAbsent(part.getKey(), (k) -> new HashMap<>())
				.put(ByteBuffer.wrap(part.getPart().toByteArray()), part.getHash());
		}
		Map<String, List<byte[]>> send = new LinkedHashMap<>();
		List<CrdtPart> wanted = new ArrayList<>();
		for (DigestTree.Part mine : this.tree.partsIn(leaves)) {
			Map<ByteBuffer, Long> byId = theirs.get(mine.name());
			Long hash = (byId != null) ? byId.remove(ByteBuffer.wrap(mine.id())) : null;
			if (hash == null || hash != mine.hash()) {
				send.computeIfAbsent(mine.name(), (k) -> new ArrayList<>()).add(mine.id());
			}
			if (hash != null && hash != mine.hash()) {
				wanted.add(CrdtPart.newBuilder().setKey(mine.name()).setPart(ByteString.copyFrom(mine.id())).build());
			}
		}
		theirs.forEach((name, byId) -> byId.keySet()
			.forEach((id) -> wanted.add(CrdtPart.newBuilder().setKey(name).setPart(ByteString.copyFrom(id)).build())));
		String replica = this.state.replica();
		List<SyncReply> replies = new ArrayList<>();
		Chunker chunker = new Chunker(this.budget,
				(batch) -> replies.add(SyncReply.newBuilder().setReplica(replica).setBatch(batch).build()));
		Parts.select(this.state, send, chunker);
		SyncReply.Builder wants = SyncReply.newBuilder().setReplica(replica);
		long bytes = 0;
		for (CrdtPart part : wanted) {
			wants.addWanted(part);
			bytes += part.getSerializedSize();
			if (bytes > this.budget) {
				replies.add(wants.build());
				wants = SyncReply.newBuilder().setReplica(replica);
				bytes = 0;
			}
		}
		if (wants.getWantedCount() > 0) {
			replies.add(wants.build());
		}
		drain((ServerCallStreamObserver<SyncReply>) responses, replies.iterator(), Function.identity());
	}

	/** Sends the replies as the caller is ready for them, then completes. */
	private static <T, R> void drain(ServerCallStreamObserver<R> out, Iterator<T> items, Function<T, R> reply) {
		boolean[] done = new boolean[1];
		Runnable pump = () -> {
			synchronized (done) {
				while (!done[0] && out.isReady() && items.hasNext()) {
					out.onNext(reply.apply(items.next()));
				}
				if (!done[0] && !items.hasNext()) {
					done[0] = true;
					out.onCompleted();
				}
			}
		};
		out.setOnReadyHandler(pump);
		out.setOnCancelHandler(() -> {
			synchronized (done) {
				done[0] = true;
			}
		});
		pump.run();
	}

}
