package dev.hedge.crdt;

import java.util.Objects;

/**
 * The result of a mutation: the new state, and a delta of the same type such that
 * {@code oldState.merge(delta).equals(state)}. The delta is what a replicator ships to the other replicas; it is
 * usually far smaller than the state (for a mutation that changed nothing it is usually the type's empty value,
 * which a replicator need not ship). Immutable and thread-safe (both parts are immutable values).
 *
 * @param <T> the replicated type
 * @param state the state after the mutation
 * @param delta the delta that takes any state that has seen the old state to one that has seen the mutation
 */
public record Mutation<T extends ReplicatedData<T>>(T state, T delta) {

	/**
	 * Checks that both parts are present.
	 * @param state the state after the mutation
	 * @param delta the delta
	 */
	public Mutation {
		Objects.requireNonNull(state, "state");
		Objects.requireNonNull(delta, "delta");
	}

}
