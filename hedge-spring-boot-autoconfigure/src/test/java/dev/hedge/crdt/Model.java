package dev.hedge.crdt;

import java.util.List;

/**
 * How the property tests drive one replicated type: its start state, a random local operation, what a value reads
 * as, and (for types that have it) how to split it.
 *
 * @param <T> the type
 */
interface Model<T extends ReplicatedData<T>> {

	/** A short name for reports. */
	String name();

	/** The state every replica starts with. */
	T initial();

	/** The type's empty value (the identity of merge), or {@code null} if it has none. */
	T empty();

	/** A local operation of {@code replica} on its own {@code state}, chosen by {@code choice}. */
	Mutation<T> operate(T state, String replica, long choice);

	/** The operation {@link #operate} would make, for counterexamples. */
	String describe(T state, String replica, long choice);

	/** What the value reads as: value(), elements(), or keys with what their values read as. */
	Object observe(T state);

	/** Whether the type implements {@link RemovedReplicaPruning}. */
	default boolean prunable() {
		return initial() instanceof RemovedReplicaPruning<?>;
	}

	/** Chunks of {@code state} of at most {@code max} units each, or {@code null} if the type has no split. */
	default List<T> split(T state, int max) {
		return null;
	}

	/** The units {@link #split} bounds (elements or dots). */
	default int weight(T state) {
		throw new UnsupportedOperationException();
	}

}
