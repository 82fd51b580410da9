package dev.hedge.chaos.check;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.hedge.chaos.history.Op;

/**
 * A sequential specification for {@link LinearizabilityChecker}, porcupine style: an initial state and a step
 * function that either accepts an operation (giving the next state) or declares it illegal in the current state.
 *
 * <p>States must be immutable values with {@code equals} and {@code hashCode}: the search memoises
 * (linearized operations, state) pairs. An operation of unknown outcome ({@link Op#outcomeUnknown()}) is given to
 * {@link #step(Object, Op)} like any other; the checker already allows it to take effect at any time after its
 * invocation, or never (its return is treated as +&infin;), so the model should accept it whenever it could have
 * happened.
 *
 * <p>Implementations must be stateless and thread-safe.
 *
 * @param <S> the state type
 */
public interface Model<S> {

	/**
	 * The state before any operation.
	 * @return the initial state
	 */
	S init();

	/**
	 * Applies one operation.
	 * @param state the current state
	 * @param op the operation, with its recorded output
	 * @return the next state, or empty if the operation (with that output) is illegal in {@code state}
	 */
	Optional<S> step(S state, Op op);

	/**
	 * Splits a history into independent sub-histories that are checked separately (P-compositionality). The
	 * default keeps every operation and partitions by key.
	 * @param history the whole history
	 * @return the sub-histories by name, in a stable order
	 */
	default Map<String, List<Op>> partition(Collection<Op> history) {
		Map<String, List<Op>> partitions = new TreeMap<>();
		for (Op op : history) {
			partitions.computeIfAbsent(String.valueOf(op.key()), (key) -> new ArrayList<>()).add(op);
		}
		return partitions;
	}

	/**
	 * A description of a state for violation messages.
	 * @param state the state
	 * @return its description
	 */
	default String describe(S state) {
		return String.valueOf(state);
	}

}
