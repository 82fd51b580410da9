package dev.hedge.replicator;

import java.util.Map;
import java.util.Optional;

import io.grpc.BindableService;

import dev.hedge.crdt.ReplicatedData;

/**
 * This member's replicated data: named CRDT values ({@link dev.hedge.crdt}) that every member of the group holds a
 * replica of, updates locally at once, and converges on without a leader. Create one with {@link ReplicatorFactory};
 * a {@link dev.hedge.HedgeNode} creates its own ({@code node.replicator()}).
 *
 * <p><b>How values travel.</b> An update applies to this member's replica at once; its delta is pushed, batched, to
 * every member every {@code deltaInterval} (at once for a {@link Consistency#majority MAJORITY} or
 * {@link Consistency#all ALL} write, which returns when enough members confirmed it). Every {@code gossipInterval}
 * the member compares digests with a random member and ships what differs both ways, and a member that missed a push
 * (unreachable, restarted, new) is repaired as soon as it answers; a new member pulls the whole state that way.
 * Messages stay under {@code hedge.transport.max-message-size}: large sets and maps travel in chunks that merge on
 * their own.
 *
 * <p><b>Reads</b> answer from this member's replica ({@link Consistency#local() LOCAL}), or merge the values of a
 * majority or of all members first. Every name has one {@link DataType} in the whole group.
 *
 * <p><b>Durability</b> (optional, {@code durable}): every member appends its changes to the store and merges all
 * stored rows at start, so a whole-group restart loses no write that a MAJORITY or ALL consistency confirmed (each
 * member confirms only once the write is in its rows). No leader or fence is involved: rows only ever merge.
 *
 * <p><b>Pruning.</b> Counters and causal sets keep state per replica (a replica is one process: {@code memberId#n});
 * the leader folds the state of replicas gone for good into its own (restarted members at once, members absent for
 * {@code pruningDelay}), so state follows the live members under pod churn. Values read the same before and after.
 *
 * <p><b>Threads.</b> Thread-safe. Owns {@code hedge-<group>-crdt} (pushes, timeouts),
 * {@code hedge-<group>-crdt-sync} (anti-entropy, pruning), {@code hedge-<group>-crdt-store} (durable members) and
 * {@code hedge-<group>-crdt-events} (once a listener is added); {@link #close()} stops them. Updates and reads run on
 * the caller's thread and block at most their consistency's timeout.
 */
public interface Replicator extends AutoCloseable {

	/**
	 * This process's replica id ({@code memberId#incarnation}); it changes only if the leader pruned this replica
	 * as gone.
	 * @return the replica id
	 */
	String replicaId();

	/**
	 * This member's value of a name.
	 * @param <T> the value type
	 * @param name the name
	 * @param type its type
	 * @return the value, or empty if this member holds none (or a register was never written)
	 * @throws DataTypeMismatchException if the name holds another type here
	 */
	<T extends ReplicatedData<T>> Optional<T> get(String name, DataType<T> type);

	/**
	 * A name's value after merging the values of enough members.
	 * @param <T> the value type
	 * @param name the name
	 * @param type its type
	 * @param consistency how many members to ask ({@link Consistency#local()} answers from this member)
	 * @return the value, or empty if no member asked holds one
	 * @throws ReplicationTimeoutException if too few members answered within the timeout
	 */
	<T extends ReplicatedData<T>> Optional<T> get(String name, DataType<T> type, Consistency consistency);

	/**
	 * Updates a value with the default write consistency ({@link ReplicatorOptions#writeConsistency()}).
	 * @param <T> the value type
	 * @param name the name
	 * @param type its type
	 * @param modify the update
	 * @return the value on this member after the update
	 * @see #update(String, DataType, Modify, Consistency)
	 */
	<T extends ReplicatedData<T>> T update(String name, DataType<T> type, Modify<T> modify);

	/**
	 * Updates a value: applies {@code modify} to this member's value at once, then waits until enough members hold
	 * it. An update that changes nothing here (a retry) still makes sure enough members hold the current value.
	 * @param <T> the value type
	 * @param name the name
	 * @param type its type
	 * @param modify the update
	 * @param consistency how many members must confirm
	 * @return the value on this member after the update
	 * @throws DataTypeMismatchException if the name holds another type here
	 * @throws ReplicatedValueTooLargeException if the update's delta cannot be shipped in one message
	 * @throws ReplicationTimeoutException if too few members confirmed within the timeout (the update stays applied
	 * and keeps spreading)
	 */
	<T extends ReplicatedData<T>> T update(String name, DataType<T> type, Modify<T> modify, Consistency consistency);

	/**
	 * The names this member holds, with their types.
	 * @return a new unmodifiable map
	 */
	Map<String, DataType<?>> names();

	/**
	 * A counter that goes up and down.
	 * @param name the name
	 * @return a handle (cheap, thread-safe)
	 */
	ReplicatedCounter counter(String name);

	/**
	 * A set whose adds win over concurrent removes.
	 * @param <E> the element type
	 * @param name the name
	 * @param elementType {@code String.class} or {@code Long.class}
	 * @return a handle (cheap, thread-safe)
	 */
	<E> ReplicatedSet<E> set(String name, Class<E> elementType);

	/**
	 * A grow-only set ("likes": one per user, never taken back).
	 * @param <E> the element type
	 * @param name the name
	 * @param elementType {@code String.class} or {@code Long.class}
	 * @return a handle (cheap, thread-safe)
	 */
	<E> ReplicatedGrowOnlySet<E> growOnlySet(String name, Class<E> elementType);

	/**
	 * A last-writer-wins register.
	 * @param <V> the value type
	 * @param name the name
	 * @param valueType {@code String.class} or {@code Long.class}
	 * @return a handle (cheap, thread-safe)
	 */
	<V> ReplicatedRegister<V> register(String name, Class<V> valueType);

	/**
	 * A map of nested counters or sets ("likes per post": {@code map("likes", String.class,
	 * DataType.growOnlySet(String.class))}).
	 * @param <K> the key type
	 * @param <V> the nested value type
	 * @param name the name
	 * @param keyType {@code String.class} or {@code Long.class}
	 * @param valueType the nested type: a counter or a set
	 * @return a handle (cheap, thread-safe)
	 */
	<K, V extends ReplicatedData<V>> ReplicatedMap<K, V> map(String name, Class<K> keyType, DataType<V> valueType);

	/**
	 * Adds a listener of changes (see {@link ReplicatedDataListener} for its thread and timing).
	 * @param listener the listener
	 */
	void addListener(ReplicatedDataListener listener);

	/**
	 * Removes a listener.
	 * @param listener the listener
	 */
	void removeListener(ReplicatedDataListener listener);

	/**
	 * What this member holds and does, from memory.
	 * @return the figures
	 */
	ReplicatorStats stats();

	/**
	 * The settings.
	 * @return the options
	 */
	ReplicatorOptions options();

	/**
	 * The gRPC service ({@code hedge.v1.Replicator}) to serve on this member's server.
	 * @return the service
	 */
	BindableService service();

	/**
	 * Stops: pushes what is pending (briefly), commits it to the store (durable members), stops the threads and
	 * fails waiting operations. Idempotent.
	 */
	@Override
	void close();

	/** Stops at once without pushing or storing anything, as if the process had died. For fault injection. */
	void halt();

}
