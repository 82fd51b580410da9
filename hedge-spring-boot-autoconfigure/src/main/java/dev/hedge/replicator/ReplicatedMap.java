package dev.hedge.replicator;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.hedge.crdt.Mutation;
import dev.hedge.crdt.ORMap;
import dev.hedge.crdt.ReplicatedData;

/**
 * A named map of nested counters or sets ({@link ORMap}), replicated to every member: keys are added by updating
 * them and removed observed-remove style (a concurrent update survives a remove, see {@link ORMap}). Thread-safe and
 * cheap to create; updates and reads run on the caller's thread and block at most their consistency's timeout.
 *
 * <p>Likes per post: {@code map("likes", String.class, DataType.growOnlySet(String.class))}, then
 * {@code likes.update(post, (users, replica) -> users.add(user))} and
 * {@code likes.get(post).map(GSet::size).orElse(0)}.
 *
 * @param <K> the key type ({@link String} or {@link Long})
 * @param <V> the nested value type
 */
public final class ReplicatedMap<K, V extends ReplicatedData<V>> {

	private final DefaultReplicator replicator;

	private final String name;

	private final DataType<V> valueType;

	private final DataType<ORMap<K, V>> type;

	ReplicatedMap(DefaultReplicator replicator, String name, Class<K> keyType, DataType<V> valueType) {
		this.replicator = replicator;
		this.name = Names.check(name);
		this.valueType = valueType;
		this.type = DataType.map(keyType, valueType);
	}

	/**
	 * The map's name.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * Updates a key's value with the default write consistency.
	 * @param key the key
	 * @param modify the nested update (it sees the nested type's empty value for an absent key)
	 * @return the key's value on this member afterwards
	 */
	public V update(K key, Modify<V> modify) {
		return update(key, modify, this.replicator.options().writeConsistency());
	}

	/**
	 * Updates a key's value (adding the key if absent).
	 * @param key the key
	 * @param modify the nested update (it sees the nested type's empty value for an absent key)
	 * @param consistency how many members must confirm (a retry makes sure they hold the key's value)
	 * @return the key's value on this member afterwards
	 * @throws ReplicationTimeoutException if too few members confirmed in time (the update stays applied)
	 */
	public V update(K key, Modify<V> modify, Consistency consistency) {
		this.replicator.checkElement(this.type, key);
		ORMap<K, V> map = this.replicator.update(this.name, this.type,
				(current, replica) -> current.update(replica, key, this.valueType.empty(),
						(nested) -> modify.apply(nested, replica)),
				consistency, Witness.parts(this.type, this.type.scalar().partId(key)));
		return map.get(key).orElseGet(this.valueType::empty);
	}

	/**
	 * Removes a key with the default write consistency.
	 * @param key the key
	 * @return whether this member held it
	 */
	public boolean remove(K key) {
		return remove(key, this.replicator.options().writeConsistency());
	}

	/**
	 * Removes a key: the updates of it this member has seen are undone everywhere.
	 * @param key the key
	 * @param consistency how many members must confirm
	 * @return whether this member held it
	 * @throws ReplicationTimeoutException if too few members confirmed in time (the remove stays applied)
	 */
	public boolean remove(K key, Consistency consistency) {
		boolean[] present = new boolean[1];
		this.replicator.update(this.name, this.type, (current, replica) -> {
			present[0] = current.containsKey(key);
			Mutation<ORMap<K, V>> removed = current.remove(key);
			return removed;
		}, consistency, Witness.parts(this.type, Parts.REMOVALS));
		return present[0];
	}

	/**
	 * A key's value on this member.
	 * @param key the key
	 * @return the value, or empty if the key is absent
	 */
	public Optional<V> get(K key) {
		return this.replicator.get(this.name, this.type).flatMap((map) -> map.get(key));
	}

	/**
	 * A key's value after merging enough members' values of the whole map.
	 * @param key the key
	 * @param consistency how many members to ask
	 * @return the value, or empty if the key is absent
	 */
	public Optional<V> get(K key, Consistency consistency) {
		return this.replicator.get(this.name, this.type, consistency).flatMap((map) -> map.get(key));
	}

	/**
	 * The keys on this member.
	 * @return an unmodifiable set
	 */
	public Set<K> keys() {
		return this.replicator.get(this.name, this.type).map(ORMap::keys).orElse(Set.of());
	}

	/**
	 * The keys and values, with the default read consistency.
	 * @return an unmodifiable map
	 */
	public Map<K, V> toMap() {
		return toMap(this.replicator.options().readConsistency());
	}

	/**
	 * The keys and values after merging enough members' values.
	 * @param consistency how many members to ask
	 * @return an unmodifiable map
	 */
	public Map<K, V> toMap(Consistency consistency) {
		return this.replicator.get(this.name, this.type, consistency).map(ORMap::toMap).orElse(Map.of());
	}

}
