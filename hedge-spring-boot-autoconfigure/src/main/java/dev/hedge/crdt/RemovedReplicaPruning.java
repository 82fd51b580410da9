package dev.hedge.crdt;

import java.util.Set;

/**
 * A replicated type that keeps state per replica and can fold the state of a replica that left into a surviving
 * replica, so that a value's size follows the live replicas rather than every process that ever wrote to it.
 *
 * <p>Pruning {@code removed} into {@code collapseInto} moves the removed replica's contribution to the survivor
 * without changing what the value reads as ({@code value()}, {@code elements()}, keys and their values), and records
 * {@code removed} in {@link #prunedReplicas()}: a marker carried in the value and in the pruning delta. Merge takes
 * the union of the markers and ignores everything of a marked replica on both sides, so an old state or delta of
 * the removed replica that arrives later is harmless (it is not counted twice), and the marker makes pruning itself
 * an ordinary inflation whose delta can be gossiped like any other.
 *
 * <p><b>The rule the replicator must follow</b> (as Pekko's replicator does for its removed nodes):
 * <ol>
 * <li>Prune only a replica that will never write again: a process that left (its replica id is
 * {@code memberId#incarnation}, and a restarted process uses a new one). Mutations by a pruned replica are refused
 * with {@link IllegalStateException}.</li>
 * <li>Each removed replica is pruned <em>once</em> for the life of the value, by <em>one</em> replica, into
 * <em>that replica's own id</em>, on that replica's own state (the pruner then owns the slot or dots it writes;
 * pruning into another live replica would race with that replica's own updates). Decide it through the leader and
 * record the decision durably before pruning: two prunings of the same replica into different survivors count its
 * contribution twice.</li>
 * <li>Prune only after the pruner has merged every live replica's state from after the removed replica stopped,
 * so that it holds the removed replica's last contribution; anything of the removed replica that the pruner had not
 * seen is dropped by the marker.</li>
 * <li>Ship the pruning delta to everyone like any other delta of the pruner: after the pruner's earlier deltas (or
 * ship the pruner's state). Pruning re-does the removed replica's adds and updates as the pruner's (under new dots),
 * so a remove concurrent with the pruning that had observed the removed replica's add loses against it (add-wins),
 * and a replica that merges the pruning delta before the pruner's earlier deltas may briefly miss an element it held
 * only through a removed replica's add that the pruner had since re-added itself.</li>
 * </ol>
 * Markers are kept for the life of the value: one replica id per pruned replica (for an {@link ORMap} also inside
 * each nested value that held state of it, and a nested value's pruned state is filed under
 * {@link ORMap#prunedSlotOf(String)} of the pruner). Dropping them early would let a late state of the removed
 * replica count again.
 *
 * <p>Implementations are immutable values and thread-safe.
 *
 * @param <T> the implementing type
 */
public interface RemovedReplicaPruning<T extends RemovedReplicaPruning<T>> extends ReplicatedData<T> {

	/**
	 * Whether this value holds state of {@code replica} that {@link #prune} would move (false once pruned).
	 * Linear in the value's size for maps of nested values, constant otherwise.
	 * @param replica the replica
	 * @return whether pruning {@code replica} would change this value
	 */
	boolean needsPruningFrom(String replica);

	/**
	 * Moves {@code removedReplica}'s contribution into {@code collapseInto} and marks {@code removedReplica} as
	 * pruned; the value reads the same. Does nothing (and returns an empty delta) when
	 * {@link #needsPruningFrom(String)} is false. Linear in the value's size.
	 * @param removedReplica the replica that left
	 * @param collapseInto the surviving replica doing the pruning (this state must be its own)
	 * @return the pruned state and its delta (which carries the marker)
	 * @throws IllegalArgumentException if both replicas are the same
	 * @throws IllegalStateException if {@code collapseInto} was itself pruned
	 */
	Mutation<T> prune(String removedReplica, String collapseInto);

	/**
	 * The replicas pruned from this value: their old states and deltas are ignored when merged.
	 * @return an unmodifiable set
	 */
	Set<String> prunedReplicas();

}
