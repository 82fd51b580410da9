package dev.hedge.crdt;

/**
 * A state-based replicated data type: a join-semilattice whose {@link #merge(ReplicatedData) merge} is the join.
 *
 * <p>Implementations are immutable values: safe to share between threads without synchronization, with
 * content-based {@code equals} and {@code hashCode}. Mutations return a {@link Mutation}; deltas are values of the
 * same type and merge with each other and with full states.
 *
 * @param <T> the implementing type
 */
public interface ReplicatedData<T extends ReplicatedData<T>> {

	/**
	 * The join of this value and {@code other}: commutative, associative and idempotent, and never smaller than
	 * either side ({@code a.merge(b).merge(a).equals(a.merge(b))}). Neither side is changed. Usually linear in the
	 * size of the two values.
	 * @param other a state or delta of the same type
	 * @return the join
	 */
	T merge(T other);

}
