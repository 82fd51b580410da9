package dev.hedge.replicator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.protobuf.ByteString;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hedge.transport.grpc.proto.CrdtBatch;
import dev.hedge.transport.grpc.proto.CrdtLeaves;
import dev.hedge.transport.grpc.proto.CrdtPart;
import dev.hedge.transport.grpc.proto.DeltasReply;
import dev.hedge.transport.grpc.proto.DeltasRequest;
import dev.hedge.transport.grpc.proto.DigestReply;
import dev.hedge.transport.grpc.proto.DigestRequest;
import dev.hedge.transport.grpc.proto.SyncReply;
import dev.hedge.transport.grpc.proto.SyncRequest;

/**
 * One anti-entropy round with a member, as the initiator: compare the 256 bucket hashes ({@code Digest}), then the
 * leaves of the buckets that differ, then send this member's parts in the differing leaves ({@code Sync}): the member
 * streams back its parts this one lacks or holds differently (merged here) and names the parts it wants, which are
 * pushed with {@code Deltas}. Both sides hold the join of the two states' differing parts afterwards. Every call has
 * a deadline; a round that fails leaves both states as they were, only larger. Runs on the calling thread (one of the
 * replicator's sync threads); thread-safe.
 */
final class AntiEntropy {

	private static final Logger logger = LoggerFactory.getLogger(AntiEntropy.class);

	private final LocalState state;

	private final DigestTree tree;

	private final Stubs stubs;

	private final Peers peers;

	private final int budget;

	private final Duration callTimeout;

	private final Duration digestTimeout;

	private final Duration streamTimeout;

	private final ReplicatorObserver observer;

	private volatile int lastDiffering;

	private volatile long repaired;

	AntiEntropy(LocalState state, DigestTree tree, Stubs stubs, Peers peers, int budget, ReplicatorOptions options,
			ReplicatorObserver observer) {
		this.state = state;
		this.tree = tree;
		this.stubs = stubs;
		this.peers = peers;
		this.budget = budget;
		this.callTimeout = options.callTimeout();
		this.digestTimeout = digestTimeout(options);
		this.streamTimeout = options.callTimeout().multipliedBy(15);
		this.observer = observer;
	}

	/**
	 * The deadline of a digest call: half the gossip interval, at most the call timeout. A digest is small (256
	 * bucket hashes, and the leaves of the buckets that differ), so a slow answer means a broken link; giving it up
	 * early lets the next tick (a member that missed a push is synced every delta interval) try again, on a new
	 * connection once the one dialed during a partition has gone unanswered for a second ({@code PeerChannels}), so a
	 * healed partition converges within about a second plus this long plus one round, not a whole call timeout.
	 */
	static Duration digestTimeout(ReplicatorOptions options) {
		Duration half = options.gossipInterval().dividedBy(2);
		return (half.compareTo(options.callTimeout()) < 0) ? half : options.callTimeout();
	}

	int lastDiffering() {
		return this.lastDiffering;
	}

	long repaired() {
		return this.repaired;
	}

	/** How a round ended. */
	enum Outcome {

		/** Both states hold the join of their differing parts. */
		DONE,

		/** More buckets differed than fit in the member's digest reply: only those were synced, run another round. */
		PARTIAL,

		/** A call failed or an answer was malformed. */
		FAILED

	}

	/**
	 * Runs one round with a member.
	 * @return whether it completed and covered every difference (see {@link #run(String)})
	 */
	boolean sync(String member) {
		return run(member) == Outcome.DONE;
	}

	/**
	 * Runs one round with a member.
	 * @return how it ended
	 */
	Outcome run(String member) {
		try {
			int[] counts = round(member);
			this.lastDiffering = counts[0];
			this.repaired += counts[1];
			this.observer.antiEntropy(counts[0], counts[1], true);
			return (counts[2] != 0) ? Outcome.PARTIAL : Outcome.DONE;
		}
		catch (StatusRuntimeException | MalformedDataException ex) {
			logger.debug("Anti-entropy with {} failed: {}", member, ex.getMessage());
			this.observer.antiEntropy(0, 0, false);
			return Outcome.FAILED;
		}
	}

	/** @return differing parts, repaired parts, whether the digest reply was truncated (1) or not (0) */
	private int[] round(String member) {
		long[] leaves = this.tree.leaves();
		DigestRequest.Builder digest = DigestRequest.newBuilder().setReplica(this.state.replica());
		for (long bucket : DigestTree.buckets(leaves)) {
			digest.addBuckets(bucket);
		}
		DigestReply reply = this.stubs.blocking(member, this.digestTimeout).digest(digest.build());
		this.peers.seen(member, reply.getReplica());
		boolean[] differing = new boolean[DigestTree.LEAVES];
		List<Integer> differingLeaves = new ArrayList<>();
		for (CrdtLeaves bucket : reply.getDifferingList()) {
			if (bucket.getBucket() >= DigestTree.BUCKETS || bucket.getLeavesCount() != DigestTree.LEAVES_PER_BUCKET) {
				throw new MalformedDataException("a digest reply with bucket " + bucket.getBucket() + " of "
						+ bucket.getLeavesCount() + " leaves");
			}
			for (int i = 0; i < DigestTree.LEAVES_PER_BUCKET; i++) {
				int leaf = bucket.getBucket() * DigestTree.LEAVES_PER_BUCKET + i;
				if (leaves[leaf] != bucket.getLeaves(i) && !differing[leaf]) {
					differing[leaf] = true;
					differingLeaves.add(leaf);
				}
			}
		}
		int truncated = reply.getTruncated() ? 1 : 0;
		if (differingLeaves.isEmpty()) {
			return new int[] { 0, 0, truncated };
		}
		Map<Integer, List<DigestTree.Part>> byLeaf = new LinkedHashMap<>();
		for (DigestTree.Part part : this.tree.partsIn(differing)) {
			byLeaf.computeIfAbsent(DigestTree.leaf(part.name(), part.id()), (l) -> new ArrayList<>()).add(part);
		}
		int differingParts = 0;
		int received = 0;
		Map<String, List<byte[]>> wanted = new LinkedHashMap<>();
		Iterator<Integer> leafIterator = differingLeaves.iterator();
		while (leafIterator.hasNext()) {
			SyncRequest.Builder request = SyncRequest.newBuilder().setReplica(this.state.replica());
			long bytes = 0;
			while (leafIterator.hasNext() && bytes < this.budget) {
				int leaf = leafIterator.next();
				request.addLeaves(leaf);
				for (DigestTree.Part part : byLeaf.getOrDefault(leaf, List.of())) {
					request.addParts(CrdtPart.newBuilder()
						.setKey(part.name())
						.setPart(ByteString.copyFrom(part.id()))
						.setHash(part.hash()));
					bytes += part.name().length() + part.id().length + 16;
				}
			}
			Iterator<SyncReply> replies = this.stubs.blocking(member, this.streamTimeout).sync(request.build());
			while (replies.hasNext()) {
				SyncReply part = replies.next();
				if (part.hasBatch()) {
					received += merge(part.getBatch());
				}
				for (CrdtPart want : part.getWantedList()) {
					wanted.computeIfAbsent(want.getKey(), (k) -> new ArrayList<>()).add(want.getPart().toByteArray());
					differingParts++;
				}
			}
		}
		int pushed = push(member, wanted);
		return new int[] { differingParts + received, received + pushed, truncated };
	}

	private int merge(CrdtBatch batch) {
		List<Codec.Named> values = Codec.decode(batch);
		for (Codec.Named named : values) {
			this.state.merge(named.key(), named.type(), named.value());
		}
		this.observer.deltasReceived(values.size(), batch.getSerializedSize());
		return values.size();
	}

	/** Pushes the wanted parts of this member's values; returns how many values or chunks went. */
	private int push(String member, Map<String, List<byte[]>> wanted) {
		List<CrdtBatch> batches = new ArrayList<>();
		Chunker chunker = new Chunker(this.budget, batches::add);
		Parts.select(this.state, wanted, chunker);
		for (CrdtBatch batch : batches) {
			DeltasReply reply = this.stubs.blocking(member, this.streamTimeout)
				.deltas(DeltasRequest.newBuilder().setReplica(this.state.replica()).addBatches(batch).build());
			this.peers.seen(member, reply.getReplica());
			this.observer.deltasSent(batch.getEntriesCount(), batch.getSerializedSize());
		}
		return (int) chunker.entries();
	}

}
