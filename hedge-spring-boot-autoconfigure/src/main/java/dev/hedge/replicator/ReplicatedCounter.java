package dev.hedge.replicator;

import dev.hedge.crdt.PNCounter;

/**
 * A named counter that goes up and down ({@link PNCounter}), replicated to every member. Increments are not
 * idempotent: a retried increment counts twice (use a set of ids for exactly-once counting). Values beyond the range
 * of {@code long} are clamped (see {@link PNCounter#value()}). Thread-safe and cheap to create; updates and reads run
 * on the caller's thread and block at most their consistency's timeout.
 */
public final class ReplicatedCounter {

	private final DefaultReplicator replicator;

	private final String name;

	ReplicatedCounter(DefaultReplicator replicator, String name) {
		this.replicator = replicator;
		this.name = Names.check(name);
	}

	/**
	 * The counter's name.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * Adds {@code n} with the default write consistency.
	 * @param n the amount, at least 1
	 * @return the value on this member afterwards
	 */
	public long increment(long n) {
		return increment(n, this.replicator.options().writeConsistency());
	}

	/**
	 * Adds {@code n}.
	 * @param n the amount, at least 1
	 * @param consistency how many members must confirm
	 * @return the value on this member afterwards
	 * @throws ReplicationTimeoutException if too few members confirmed in time (the increment stays applied)
	 */
	public long increment(long n, Consistency consistency) {
		return this.replicator.update(this.name, DataType.counter(), (c, replica) -> c.increment(replica, n),
				consistency, Witness.whole()).value();
	}

	/**
	 * Subtracts {@code n} with the default write consistency.
	 * @param n the amount, at least 1
	 * @return the value on this member afterwards
	 */
	public long decrement(long n) {
		return decrement(n, this.replicator.options().writeConsistency());
	}

	/**
	 * Subtracts {@code n}.
	 * @param n the amount, at least 1
	 * @param consistency how many members must confirm
	 * @return the value on this member afterwards
	 * @throws ReplicationTimeoutException if too few members confirmed in time (the decrement stays applied)
	 */
	public long decrement(long n, Consistency consistency) {
		return this.replicator.update(this.name, DataType.counter(), (c, replica) -> c.decrement(replica, n),
				consistency, Witness.whole()).value();
	}

	/**
	 * The value with the default read consistency.
	 * @return the value
	 */
	public long value() {
		return value(this.replicator.options().readConsistency());
	}

	/**
	 * The value after merging enough members' values.
	 * @param consistency how many members to ask
	 * @return the value (0 if no member asked holds one)
	 */
	public long value(Consistency consistency) {
		return this.replicator.get(this.name, DataType.counter(), consistency).map(PNCounter::value).orElse(0L);
	}

}
