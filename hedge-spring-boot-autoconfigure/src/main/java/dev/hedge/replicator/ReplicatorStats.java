package dev.hedge.replicator;

import java.util.Set;

/**
 * What this member's replicator holds and does, answered from memory (for {@code /actuator/hedge}). Immutable.
 *
 * @param replicaId this process's replica id
 * @param names how many named values this member holds
 * @param durable whether this member keeps its replica in the store
 * @param loaded whether the stored replicas were merged (always true when not durable)
 * @param unflushedChanges changes not yet in the store (durable members)
 * @param millisSinceFlush time since the last append to the store (durable members; -1 otherwise)
 * @param pendingDeltas values waiting to be pushed
 * @param peersToRepair members that missed a push and wait for an anti-entropy round
 * @param lastDiffering parts that differed in this member's last anti-entropy round
 * @param repairedParts parts shipped to repair differences, since start
 * @param typeConflicts values refused because a name held another type here
 * @param prunedReplicas replicas this member pruned as leader, since start
 */
public record ReplicatorStats(String replicaId, int names, boolean durable, boolean loaded, long unflushedChanges,
		long millisSinceFlush, int pendingDeltas, Set<String> peersToRepair, int lastDiffering, long repairedParts,
		long typeConflicts, long prunedReplicas) {

	/**
	 * Copies the set.
	 * @param replicaId this process's replica id
	 * @param names how many named values this member holds
	 * @param durable whether this member keeps its replica in the store
	 * @param loaded whether the stored replicas were merged
	 * @param unflushedChanges changes not yet in the store
	 * @param millisSinceFlush time since the last append to the store
	 * @param pendingDeltas values waiting to be pushed
	 * @param peersToRepair members that missed a push
	 * @param lastDiffering parts that differed in the last anti-entropy round
	 * @param repairedParts parts shipped to repair differences
	 * @param typeConflicts values refused for their type
	 * @param prunedReplicas replicas pruned
	 */
	public ReplicatorStats {
		peersToRepair = Set.copyOf(peersToRepair);
	}

}
