package dev.hedge.crdt;

import java.math.BigInteger;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A grow-only counter: one non-negative slot per replica, each written only by its replica; the value is their sum
 * and merge takes the larger of each slot.
 *
 * <p>Overflow: a slot never wraps. {@link #increment} refuses (throws {@link ArithmeticException}, nothing changes)
 * an increment that would take the replica's slot past {@link Long#MAX_VALUE}. The sum of the slots may still exceed
 * it: {@link #value()} then saturates at {@link Long#MAX_VALUE}, and {@link #exactValue()} is exact.
 *
 * <p>Immutable and thread-safe. Size and the cost of merge are linear in the number of replicas that ever
 * incremented it, hence {@link RemovedReplicaPruning pruning}. An increment's delta is a single slot.
 */
public final class GCounter implements RemovedReplicaPruning<GCounter> {

	private static final GCounter EMPTY = new GCounter(Map.of(), Set.of());

	/** No zero slots, no slots of pruned replicas. */
	private final Map<String, Long> slots;

	private final Set<String> pruned;

	private GCounter(Map<String, Long> slots, Set<String> pruned) {
		this.slots = slots;
		this.pruned = pruned;
	}

	/**
	 * The counter at zero.
	 * @return the empty counter
	 */
	public static GCounter empty() {
		return EMPTY;
	}

	/**
	 * Rebuilds a counter from its parts, as read through {@link #slots()} and {@link #prunedReplicas()}.
	 * @param slots the per-replica counts (non-negative; zeros are dropped)
	 * @param prunedReplicas the pruned replicas (none may have a slot)
	 * @return the counter
	 */
	public static GCounter of(Map<String, Long> slots, Set<String> prunedReplicas) {
		Set<String> pruned = Replicas.copyOf(prunedReplicas);
		Map<String, Long> copy = new HashMap<>();
		slots.forEach((replica, count) -> {
			Replicas.check(replica);
			if (count < 0) {
				throw new IllegalArgumentException("Negative slot " + replica + "=" + count);
			}
			if (pruned.contains(replica) && count > 0) {
				throw new IllegalArgumentException("Slot of pruned replica " + replica);
			}
			if (count > 0) {
				copy.put(replica, count);
			}
		});
		return create(copy, pruned);
	}

	private static GCounter create(Map<String, Long> slots, Set<String> pruned) {
		if (slots.isEmpty() && pruned.isEmpty()) {
			return EMPTY;
		}
		return new GCounter(Collections.unmodifiableMap(slots), pruned);
	}

	/**
	 * Adds {@code n} to {@code replica}'s slot.
	 * @param replica the replica incrementing (this state must be its own)
	 * @param n the amount, at least 1
	 * @return the new state and a delta holding only the replica's slot
	 * @throws IllegalArgumentException if {@code n < 1}
	 * @throws ArithmeticException if the replica's slot would exceed {@link Long#MAX_VALUE}
	 * @throws IllegalStateException if {@code replica} was pruned
	 */
	public Mutation<GCounter> increment(String replica, long n) {
		Replicas.check(replica);
		if (n < 1) {
			throw new IllegalArgumentException("A G-Counter only grows: increment by at least 1, got " + n);
		}
		Replicas.checkNotPruned(this.pruned, replica);
		long slot;
		try {
			slot = Math.addExact(this.slots.getOrDefault(replica, 0L), n);
		}
		catch (ArithmeticException ex) {
			throw new ArithmeticException("G-Counter slot of " + replica + " would overflow: "
					+ this.slots.get(replica) + " + " + n);
		}
		Map<String, Long> slots = new HashMap<>(this.slots);
		slots.put(replica, slot);
		return new Mutation<>(create(slots, this.pruned), create(Map.of(replica, slot), Set.of()));
	}

	/**
	 * The sum of the slots, saturated at {@link Long#MAX_VALUE}.
	 * @return the value
	 */
	public long value() {
		long sum = 0;
		for (long slot : this.slots.values()) {
			sum += slot;
			if (sum < 0) {
				return Long.MAX_VALUE;
			}
		}
		return sum;
	}

	/**
	 * The exact sum of the slots.
	 * @return the value
	 */
	public BigInteger exactValue() {
		BigInteger sum = BigInteger.ZERO;
		for (long slot : this.slots.values()) {
			sum = sum.add(BigInteger.valueOf(slot));
		}
		return sum;
	}

	/**
	 * The per-replica counts (only replicas with a count above zero).
	 * @return an unmodifiable map
	 */
	public Map<String, Long> slots() {
		return this.slots;
	}

	@Override
	public Set<String> prunedReplicas() {
		return this.pruned;
	}

	@Override
	public GCounter merge(GCounter other) {
		if (this == other || other == EMPTY) {
			return this;
		}
		if (this == EMPTY) {
			return other;
		}
		Set<String> pruned = Replicas.union(this.pruned, other.pruned);
		Map<String, Long> slots = new HashMap<>(this.slots);
		other.slots.forEach((replica, count) -> slots.merge(replica, count, Math::max));
		slots.keySet().removeAll(pruned);
		return create(slots, pruned);
	}

	@Override
	public boolean needsPruningFrom(String replica) {
		return this.slots.containsKey(replica);
	}

	@Override
	public Mutation<GCounter> prune(String removedReplica, String collapseInto) {
		Replicas.checkPruning(this.pruned, removedReplica, collapseInto);
		if (!needsPruningFrom(removedReplica)) {
			return new Mutation<>(this, EMPTY);
		}
		return pruneAlways(removedReplica, collapseInto);
	}

	/** Like {@link #prune} but records the marker even when the removed replica has no slot here. */
	Mutation<GCounter> pruneAlways(String removedReplica, String collapseInto) {
		Replicas.checkPruning(this.pruned, removedReplica, collapseInto);
		if (this.pruned.contains(removedReplica)) {
			return new Mutation<>(this, EMPTY);
		}
		long moved = this.slots.getOrDefault(removedReplica, 0L);
		long into = Math.addExact(this.slots.getOrDefault(collapseInto, 0L), moved);
		Map<String, Long> slots = new HashMap<>(this.slots);
		slots.remove(removedReplica);
		Map<String, Long> deltaSlots = new HashMap<>();
		if (into > 0) {
			slots.put(collapseInto, into);
			deltaSlots.put(collapseInto, into);
		}
		Set<String> marker = Set.of(removedReplica);
		return new Mutation<>(create(slots, Replicas.with(this.pruned, removedReplica)),
				create(deltaSlots, marker));
	}

	@Override
	public boolean equals(Object other) {
		return (this == other) || (other instanceof GCounter that) && this.slots.equals(that.slots)
				&& this.pruned.equals(that.pruned);
	}

	@Override
	public int hashCode() {
		return this.slots.hashCode() * 31 + this.pruned.hashCode();
	}

	@Override
	public String toString() {
		StringBuilder text = new StringBuilder("GCounter{value=").append(exactValue()).append(", slots={");
		String separator = "";
		for (String replica : Replicas.sorted(this.slots.keySet())) {
			text.append(separator).append(replica).append('=').append(this.slots.get(replica));
			separator = ", ";
		}
		text.append('}');
		if (!this.pruned.isEmpty()) {
			text.append(", pruned=").append(Replicas.sorted(this.pruned));
		}
		return text.append('}').toString();
	}

}
