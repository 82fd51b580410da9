package dev.hedge.replicator;

import dev.hedge.crdt.Mutation;
import dev.hedge.crdt.ReplicatedData;

/**
 * An update of a replicated value: a pure function of the current value that returns a {@link Mutation} of it, for
 * example {@code (likes, replica) -> likes.add(replica, user)}. Called once, on the caller's thread, while the value
 * is locked against concurrent updates of the same name on this member: keep it short and free of I/O.
 *
 * @param <T> the value type
 */
@FunctionalInterface
public interface Modify<T extends ReplicatedData<T>> {

	/**
	 * Mutates the current value.
	 * @param current the value this member holds (the type's empty value if it holds none; {@code null} for a
	 * register that was never written)
	 * @param replica this member's replica id, to pass to the mutation
	 * @return the mutation
	 */
	Mutation<T> apply(T current, String replica);

}
