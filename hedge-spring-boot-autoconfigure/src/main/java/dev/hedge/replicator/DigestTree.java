package dev.hedge.replicator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.hedge.crdt.ReplicatedData;

/**
 * The anti-entropy digest of this member's state: every {@link Parts part} of every value falls into one of
 * {@value #LEAVES} leaves (by the hash of its name and part id), a leaf's hash is the sum of its parts' mixed hashes,
 * and the leaves are grouped into {@value #BUCKETS} buckets of {@value #LEAVES_PER_BUCKET}. Two members compare the
 * 256 bucket hashes (2 KiB), then the leaves of differing buckets, then the parts of differing leaves: a quiescent
 * round costs the same 2 KiB whatever the state's size, and a repair costs about the parts that differ.
 *
 * <p>Each value's parts are hashed again only when the value changed since the last digest (per-entry cache), so a
 * digest costs a sum over all parts plus the hashing of what changed. Thread-safe (one digest at a time).
 */
final class DigestTree {

	static final int BUCKETS = 256;

	static final int LEAVES_PER_BUCKET = 64;

	static final int LEAVES = BUCKETS * LEAVES_PER_BUCKET;

	private final LocalState state;

	private long[] leaves = new long[LEAVES];

	private long leavesAt = -1;

	DigestTree(LocalState state) {
		this.state = state;
	}

	/** The leaf of a part. */
	static int leaf(String name, byte[] partId) {
		return (int) (Hashes.mix(Hashes.of(name) * 31 + Hashes.of(partId)) >>> (64 - 14));
	}

	/** What a part adds to its leaf's hash. */
	static long contribution(String name, byte[] partId, long partHash) {
		return Hashes.mix(Hashes.of(name) ^ Hashes.mix(Hashes.of(partId) + partHash));
	}

	/** The leaf hashes of the current state (a copy-free view: do not modify). */
	synchronized long[] leaves() {
		long version = this.state.version();
		if (version == this.leavesAt) {
			return this.leaves;
		}
		long[] sums = new long[LEAVES];
		for (LocalState.Entry entry : this.state.entries()) {
			refresh(entry);
			int[] entryLeaves = entry.leaves;
			long[] entryContributions = entry.contributions;
			for (int i = 0; i < entryLeaves.length; i++) {
				sums[entryLeaves[i]] += entryContributions[i];
			}
		}
		this.leaves = sums;
		this.leavesAt = version;
		return sums;
	}

	/** The bucket hashes of leaves. */
	static long[] buckets(long[] leaves) {
		long[] buckets = new long[BUCKETS];
		for (int i = 0; i < LEAVES; i++) {
			buckets[i / LEAVES_PER_BUCKET] += Hashes.mix(leaves[i] + i);
		}
		return buckets;
	}

	/** The leaves of one bucket. */
	static long[] bucketLeaves(long[] leaves, int bucket) {
		return Arrays.copyOfRange(leaves, bucket * LEAVES_PER_BUCKET, (bucket + 1) * LEAVES_PER_BUCKET);
	}

	private static void refresh(LocalState.Entry entry) {
		long changes = entry.changes;
		if (entry.digestedAt == changes) {
			return;
		}
		ReplicatedData<?> value = entry.value;
		List<int[]> leaves = new ArrayList<>();
		List<long[]> contributions = new ArrayList<>();
		int[] leafBuffer = new int[64];
		long[] contributionBuffer = new long[64];
		int[] count = { 0 };
		if (value != null) {
			Parts.forEach(entry.type, value, (id, hash) -> {
				if (count[0] == leafBuffer.length) {
					leaves.add(leafBuffer.clone());
					contributions.add(contributionBuffer.clone());
					count[0] = 0;
				}
				leafBuffer[count[0]] = leaf(entry.name, id);
				contributionBuffer[count[0]] = contribution(entry.name, id, hash);
				count[0]++;
			});
		}
		int total = leaves.size() * leafBuffer.length + count[0];
		int[] allLeaves = new int[total];
		long[] allContributions = new long[total];
		int at = 0;
		for (int i = 0; i < leaves.size(); i++) {
			System.arraycopy(leaves.get(i), 0, allLeaves, at, leafBuffer.length);
			System.arraycopy(contributions.get(i), 0, allContributions, at, leafBuffer.length);
			at += leafBuffer.length;
		}
		System.arraycopy(leafBuffer, 0, allLeaves, at, count[0]);
		System.arraycopy(contributionBuffer, 0, allContributions, at, count[0]);
		entry.leaves = allLeaves;
		entry.contributions = allContributions;
		entry.digestedAt = changes;
	}

	/** A part of this member's state in one of the given leaves. */
	record Part(String name, DataType<?> type, byte[] id, long hash) {
	}

	/**
	 * The parts of this member's state that fall into the given leaves (a bitmap of {@value #LEAVES}); each value
	 * with a part there is cut into parts again.
	 */
	synchronized List<Part> partsIn(boolean[] wanted) {
		leaves();
		List<Part> parts = new ArrayList<>();
		for (LocalState.Entry entry : this.state.entries()) {
			int[] entryLeaves = entry.leaves;
			boolean any = false;
			for (int leaf : entryLeaves) {
				if (wanted[leaf]) {
					any = true;
					break;
				}
			}
			ReplicatedData<?> value = entry.value;
			if (!any || value == null) {
				continue;
			}
			Parts.forEach(entry.type, value, (id, hash) -> {
				if (wanted[leaf(entry.name, id)]) {
					parts.add(new Part(entry.name, entry.type, id, hash));
				}
			});
		}
		return parts;
	}

}
