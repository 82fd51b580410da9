package dev.hedge.crdt;

import java.util.Objects;

/**
 * A last-writer-wins register: a value with the timestamp and replica of the write that set it. Merge keeps the write
 * with the greater timestamp; equal timestamps are broken by the greater replica id (by {@link String#compareTo}),
 * so every replica picks the same winner. The caller supplies the clock: use a timestamp that never goes backwards
 * for a replica, e.g. {@link #nextTimestamp(long)} of wall-clock milliseconds.
 *
 * <p>A write that does not beat the current one (older timestamp, or equal timestamp and a smaller or equal replica
 * id) loses: {@link #set} then returns the register unchanged. Hence a replica never holds two values for one
 * (timestamp, replica) pair, which merge would have no fair way to order.
 *
 * <p>There is no empty register: a register is created with its first value. The value must be immutable and not
 * {@code null} (use an {@code Optional} to model absence). The register keeps only the winner's replica id, so
 * there is nothing to prune.
 *
 * <p>Immutable and thread-safe; constant size. A delta is a whole register.
 *
 * @param <V> the value type
 * @param value the value
 * @param timestamp the timestamp of the write, in the caller's clock
 * @param replica the replica that wrote it
 */
public record LWWRegister<V>(V value, long timestamp, String replica) implements ReplicatedData<LWWRegister<V>> {

	/**
	 * Validates the register.
	 * @param value the value
	 * @param timestamp the timestamp of the write, in the caller's clock
	 * @param replica the replica that wrote it
	 */
	public LWWRegister {
		Objects.requireNonNull(value, "value");
		Replicas.check(replica);
	}

	/**
	 * Writes {@code value} if the write beats the current one.
	 * @param replica the replica writing (this state must be its own)
	 * @param value the value
	 * @param timestamp the timestamp of the write
	 * @return the winning register as both the state and the delta
	 */
	public Mutation<LWWRegister<V>> set(String replica, V value, long timestamp) {
		LWWRegister<V> write = new LWWRegister<>(value, timestamp, replica);
		if (order(write, this) <= 0) {
			return new Mutation<>(this, this);
		}
		return new Mutation<>(write, write);
	}

	/**
	 * A timestamp that beats this register's: {@code max(now, timestamp() + 1)}.
	 * @param now the caller's clock
	 * @return the timestamp to write with
	 */
	public long nextTimestamp(long now) {
		return Math.max(now, Math.addExact(this.timestamp, 1));
	}

	/** Orders writes by timestamp, then replica id. */
	private static int order(LWWRegister<?> a, LWWRegister<?> b) {
		int order = Long.compare(a.timestamp, b.timestamp);
		return (order != 0) ? order : a.replica.compareTo(b.replica);
	}

	@Override
	public LWWRegister<V> merge(LWWRegister<V> other) {
		int order = order(this, other);
		if (order == 0 && !this.value.equals(other.value)) {
			// Two values for one (timestamp, replica): only a reused replica id or clock does this. Stay
			// commutative anyway.
			order = Integer.compare(this.value.hashCode(), other.value.hashCode());
			if (order == 0) {
				order = String.valueOf(this.value).compareTo(String.valueOf(other.value));
			}
		}
		return (order >= 0) ? this : other;
	}

	@Override
	public String toString() {
		return "LWWRegister{value=" + this.value + ", timestamp=" + this.timestamp + ", replica=" + this.replica + "}";
	}

}
