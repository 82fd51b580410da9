package dev.hedge.crdt;

import java.math.BigInteger;
import java.util.Objects;
import java.util.Set;

/**
 * A counter that goes up and down: a {@link GCounter} of increments and one of decrements; the value is their
 * difference. Each replica's slots only grow, so the overflow rules are {@link GCounter}'s: a single replica's total
 * increments (or decrements) cannot exceed {@link Long#MAX_VALUE}; {@link #value()} clamps to the range of
 * {@code long} and {@link #exactValue()} is exact.
 *
 * <p>Immutable and thread-safe. Size is linear in the number of replicas that ever changed it, hence
 * {@link RemovedReplicaPruning pruning}; a delta is one slot.
 *
 * @param increments the increments
 * @param decrements the decrements
 */
public record PNCounter(GCounter increments, GCounter decrements) implements RemovedReplicaPruning<PNCounter> {

	private static final PNCounter EMPTY = new PNCounter(GCounter.empty(), GCounter.empty());

	/**
	 * Checks that both counters are present.
	 * @param increments the increments
	 * @param decrements the decrements
	 */
	public PNCounter {
		Objects.requireNonNull(increments, "increments");
		Objects.requireNonNull(decrements, "decrements");
	}

	/**
	 * The counter at zero.
	 * @return the empty counter
	 */
	public static PNCounter empty() {
		return EMPTY;
	}

	/**
	 * Adds {@code n}.
	 * @param replica the replica incrementing (this state must be its own)
	 * @param n the amount, at least 1
	 * @return the new state and a one-slot delta
	 * @throws IllegalArgumentException if {@code n < 1}
	 * @throws ArithmeticException if the replica's total increments would exceed {@link Long#MAX_VALUE}
	 * @throws IllegalStateException if {@code replica} was pruned
	 */
	public Mutation<PNCounter> increment(String replica, long n) {
		Mutation<GCounter> mutation = this.increments.increment(replica, n);
		return new Mutation<>(new PNCounter(mutation.state(), this.decrements),
				new PNCounter(mutation.delta(), GCounter.empty()));
	}

	/**
	 * Subtracts {@code n}.
	 * @param replica the replica decrementing (this state must be its own)
	 * @param n the amount, at least 1
	 * @return the new state and a one-slot delta
	 * @throws IllegalArgumentException if {@code n < 1}
	 * @throws ArithmeticException if the replica's total decrements would exceed {@link Long#MAX_VALUE}
	 * @throws IllegalStateException if {@code replica} was pruned
	 */
	public Mutation<PNCounter> decrement(String replica, long n) {
		Mutation<GCounter> mutation = this.decrements.increment(replica, n);
		return new Mutation<>(new PNCounter(this.increments, mutation.state()),
				new PNCounter(GCounter.empty(), mutation.delta()));
	}

	/**
	 * Increments minus decrements, clamped to [{@link Long#MIN_VALUE}, {@link Long#MAX_VALUE}].
	 * @return the value
	 */
	public long value() {
		BigInteger exact = exactValue();
		if (exact.bitLength() < Long.SIZE) {
			return exact.longValue();
		}
		return (exact.signum() > 0) ? Long.MAX_VALUE : Long.MIN_VALUE;
	}

	/**
	 * Increments minus decrements, exactly.
	 * @return the value
	 */
	public BigInteger exactValue() {
		return this.increments.exactValue().subtract(this.decrements.exactValue());
	}

	@Override
	public PNCounter merge(PNCounter other) {
		if (this == other || other == EMPTY) {
			return this;
		}
		return new PNCounter(this.increments.merge(other.increments), this.decrements.merge(other.decrements));
	}

	@Override
	public boolean needsPruningFrom(String replica) {
		return this.increments.needsPruningFrom(replica) || this.decrements.needsPruningFrom(replica);
	}

	@Override
	public Mutation<PNCounter> prune(String removedReplica, String collapseInto) {
		Replicas.checkPruning(prunedReplicas(), removedReplica, collapseInto);
		if (!needsPruningFrom(removedReplica)) {
			return new Mutation<>(this, EMPTY);
		}
		Mutation<GCounter> up = this.increments.pruneAlways(removedReplica, collapseInto);
		Mutation<GCounter> down = this.decrements.pruneAlways(removedReplica, collapseInto);
		return new Mutation<>(new PNCounter(up.state(), down.state()), new PNCounter(up.delta(), down.delta()));
	}

	@Override
	public Set<String> prunedReplicas() {
		return Replicas.union(this.increments.prunedReplicas(), this.decrements.prunedReplicas());
	}

	@Override
	public String toString() {
		return "PNCounter{value=" + exactValue() + ", increments=" + this.increments + ", decrements="
				+ this.decrements + "}";
	}

}
