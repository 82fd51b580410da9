package dev.hedge.replicator;

import java.util.Optional;

import dev.hedge.crdt.LWWRegister;

/**
 * A named last-writer-wins register ({@link LWWRegister}), replicated to every member: the write with the latest
 * timestamp (this member's wall clock in milliseconds, never below the register's last timestamp plus one) wins
 * everywhere, equal timestamps going to the greater replica id. A concurrent write can be lost to a later one:
 * use it for values where the latest is all that matters. Thread-safe and cheap to create; updates and reads run on
 * the caller's thread and block at most their consistency's timeout.
 *
 * @param <V> the value type ({@link String} or {@link Long})
 */
public final class ReplicatedRegister<V> {

	private final DefaultReplicator replicator;

	private final String name;

	private final DataType<LWWRegister<V>> type;

	ReplicatedRegister(DefaultReplicator replicator, String name, Class<V> valueType) {
		this.replicator = replicator;
		this.name = Names.check(name);
		this.type = DataType.register(valueType);
	}

	/**
	 * The register's name.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * Writes a value with the default write consistency.
	 * @param value the value
	 */
	public void set(V value) {
		set(value, this.replicator.options().writeConsistency());
	}

	/**
	 * Writes a value.
	 * @param value the value
	 * @param consistency how many members must confirm
	 * @throws ReplicationTimeoutException if too few members confirmed in time (the write stays applied)
	 */
	public void set(V value, Consistency consistency) {
		this.replicator.checkElement(this.type, value);
		this.replicator.update(this.name, this.type, (register, replica) -> {
			long now = System.currentTimeMillis();
			if (register == null) {
				LWWRegister<V> first = new LWWRegister<>(value, now, replica);
				return new dev.hedge.crdt.Mutation<>(first, first);
			}
			return register.set(replica, value, register.nextTimestamp(now));
		}, consistency, Witness.whole());
	}

	/**
	 * The value, with the default read consistency.
	 * @return the value, or empty if never written
	 */
	public Optional<V> get() {
		return get(this.replicator.options().readConsistency());
	}

	/**
	 * The value after merging enough members' values.
	 * @param consistency how many members to ask
	 * @return the value, or empty if no member asked holds one
	 */
	public Optional<V> get(Consistency consistency) {
		return this.replicator.get(this.name, this.type, consistency).map(LWWRegister::value);
	}

}
