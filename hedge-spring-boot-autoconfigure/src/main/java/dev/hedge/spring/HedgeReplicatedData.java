package dev.hedge.spring;

import java.util.Map;

import dev.hedge.HedgeNode;
import dev.hedge.crdt.ReplicatedData;
import dev.hedge.replicator.DataType;
import dev.hedge.replicator.ReplicatedCounter;
import dev.hedge.replicator.ReplicatedGrowOnlySet;
import dev.hedge.replicator.ReplicatedMap;
import dev.hedge.replicator.ReplicatedRegister;
import dev.hedge.replicator.ReplicatedSet;
import dev.hedge.replicator.Replicator;
import dev.hedge.replicator.ReplicatorStats;

/**
 * The application's replicated data (CRDTs, {@code hedge.crdt.*}): counters, sets, registers and maps that every
 * instance updates locally and that converge by gossip without a leader (see {@link Replicator}).
 *
 * <p>Handles are cheap: take one per use ({@code data.map("likes", String.class,
 * DataType.growOnlySet(String.class)).update(...)}). They belong to the node's current run, which starts once the
 * application's gRPC server listens, so a handle taken before then fails with
 * {@link dev.hedge.common.NotRunningException}, and one kept across a restart of the node refers to the closed run.
 * Thread-safe; updates and reads run on the caller's thread and block at most their consistency's timeout
 * ({@code hedge.crdt.write-consistency}, {@code hedge.crdt.read-consistency}, or the one passed).
 */
public class HedgeReplicatedData {

	private final HedgeNode node;

	/**
	 * Creates the facade.
	 * @param node the hedge node
	 */
	public HedgeReplicatedData(HedgeNode node) {
		this.node = node;
	}

	/**
	 * The node's replicator for its current run.
	 * @return the replicator
	 * @throws dev.hedge.common.NotRunningException if the node is not running
	 */
	public Replicator replicator() {
		return this.node.replicator();
	}

	/**
	 * A counter that goes up and down.
	 * @param name the name
	 * @return a handle
	 */
	public ReplicatedCounter counter(String name) {
		return replicator().counter(name);
	}

	/**
	 * A set whose adds win over concurrent removes.
	 * @param <E> the element type
	 * @param name the name
	 * @param elementType {@code String.class} or {@code Long.class}
	 * @return a handle
	 */
	public <E> ReplicatedSet<E> set(String name, Class<E> elementType) {
		return replicator().set(name, elementType);
	}

	/**
	 * A grow-only set (one like per user, never taken back).
	 * @param <E> the element type
	 * @param name the name
	 * @param elementType {@code String.class} or {@code Long.class}
	 * @return a handle
	 */
	public <E> ReplicatedGrowOnlySet<E> growOnlySet(String name, Class<E> elementType) {
		return replicator().growOnlySet(name, elementType);
	}

	/**
	 * A last-writer-wins register.
	 * @param <V> the value type
	 * @param name the name
	 * @param valueType {@code String.class} or {@code Long.class}
	 * @return a handle
	 */
	public <V> ReplicatedRegister<V> register(String name, Class<V> valueType) {
		return replicator().register(name, valueType);
	}

	/**
	 * A map of nested counters or sets (likes per post: {@code map("likes", String.class,
	 * DataType.growOnlySet(String.class))}).
	 * @param <K> the key type
	 * @param <V> the nested type
	 * @param name the name
	 * @param keyType {@code String.class} or {@code Long.class}
	 * @param valueType the nested type
	 * @return a handle
	 */
	public <K, V extends ReplicatedData<V>> ReplicatedMap<K, V> map(String name, Class<K> keyType,
			DataType<V> valueType) {
		return replicator().map(name, keyType, valueType);
	}

	/**
	 * The names this member holds, with their types.
	 * @return a new unmodifiable map
	 */
	public Map<String, DataType<?>> names() {
		return replicator().names();
	}

	/**
	 * What this member's replicator holds and does, from memory.
	 * @return the figures
	 */
	public ReplicatorStats stats() {
		return replicator().stats();
	}

}
