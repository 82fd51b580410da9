package dev.hedge.crdt;

import java.math.BigInteger;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link GCounter} and {@link PNCounter}: slots per replica, one-slot deltas, the overflow rules (an increment that
 * would overflow its slot is refused, the value saturates), and pruning that keeps the value.
 */
class GCounterTests {

	@Test
	void incrementsOfAllReplicasAddUpAndMergeKeepsEachSlotsLargest() {
		Mutation<GCounter> a = GCounter.empty().increment("A", 2);
		Mutation<GCounter> b = GCounter.empty().increment("B", 3);
		assertThat(a.delta().slots()).isEqualTo(Map.of("A", 2L));
		GCounter merged = a.state().merge(b.state());
		assertThat(merged.value()).isEqualTo(5);
		GCounter again = merged.merge(a.state()).merge(a.delta());
		assertThat(again).isEqualTo(merged);
		Mutation<GCounter> more = merged.increment("A", 1);
		assertThat(more.delta().slots()).as("the delta is the whole slot").isEqualTo(Map.of("A", 3L));
		assertThat(more.state()).hasToString("GCounter{value=6, slots={A=3, B=3}}");
	}

	@Test
	void anIncrementThatWouldOverflowItsSlotIsRefusedAndChangesNothing() {
		GCounter full = GCounter.empty().increment("A", Long.MAX_VALUE).state();
		assertThatExceptionOfType(ArithmeticException.class).isThrownBy(() -> full.increment("A", 1))
			.withMessageContaining("would overflow");
		assertThat(full.value()).isEqualTo(Long.MAX_VALUE);
		assertThat(full.increment("B", 1).state().slots()).containsEntry("B", 1L);
	}

	@Test
	void theValueSaturatesWhenTheSlotsAddUpPastLongMaxValueAndTheExactValueDoesNot() {
		GCounter counter = GCounter.empty().increment("A", Long.MAX_VALUE).state().merge(
				GCounter.empty().increment("B", 10).state());
		assertThat(counter.value()).isEqualTo(Long.MAX_VALUE);
		assertThat(counter.exactValue()).isEqualTo(BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.TEN));
	}

	@Test
	void countersOnlyGrow() {
		assertThatIllegalArgumentException().isThrownBy(() -> GCounter.empty().increment("A", 0));
		assertThatIllegalArgumentException().isThrownBy(() -> PNCounter.empty().decrement("A", -1));
	}

	@Test
	void pruningMovesTheRemovedReplicasCountIntoThePrunerAndALateStateOfItCountsNothing() {
		GCounter removedLast = GCounter.empty().increment("R", 4).state();
		GCounter pruner = removedLast.merge(GCounter.empty().increment("L", 1).state());
		assertThat(pruner.needsPruningFrom("R")).isTrue();
		Mutation<GCounter> pruned = pruner.prune("R", "L");
		assertThat(pruned.state().value()).isEqualTo(5);
		assertThat(pruned.state().slots()).isEqualTo(Map.of("L", 5L));
		assertThat(pruned.state().prunedReplicas()).containsExactly("R");
		assertThat(pruned.delta()).as("the delta carries the marker")
			.isEqualTo(GCounter.of(Map.of("L", 5L), Set.of("R")));
		GCounter other = removedLast.merge(GCounter.empty().increment("M", 2).state());
		assertThat(other.merge(pruned.delta()).value()).as("a replica that had R's count, after the delta")
			.isEqualTo(7);
		assertThat(pruned.state().merge(removedLast).value()).as("R's old state merged late").isEqualTo(5);
		assertThat(pruned.state().prune("R", "L").delta()).as("pruning again does nothing")
			.isEqualTo(GCounter.empty());
		assertThatIllegalStateException().isThrownBy(() -> pruned.state().increment("R", 1))
			.withMessageContaining("new replica id");
	}

	@Test
	void aCounterIsRebuiltFromItsParts() {
		GCounter counter = GCounter.empty().increment("A", 3).state().increment("B", 1).state().prune("B", "A")
			.state();
		assertThat(GCounter.of(counter.slots(), counter.prunedReplicas())).isEqualTo(counter);
		assertThatIllegalArgumentException().isThrownBy(() -> GCounter.of(Map.of("A", -1L), Set.of()));
		assertThatIllegalArgumentException().isThrownBy(() -> GCounter.of(Map.of("A", 1L), Set.of("A")));
	}

	@Test
	void aPNCounterIsItsIncrementsMinusItsDecrementsClampedToLong() {
		Mutation<PNCounter> up = PNCounter.empty().increment("A", 5);
		Mutation<PNCounter> down = PNCounter.empty().decrement("B", 7);
		PNCounter merged = up.state().merge(down.state());
		assertThat(merged.value()).isEqualTo(-2);
		assertThat(down.delta().increments()).isEqualTo(GCounter.empty());
		PNCounter low = PNCounter.empty().decrement("A", Long.MAX_VALUE).state().merge(
				PNCounter.empty().decrement("B", Long.MAX_VALUE).state());
		assertThat(low.value()).isEqualTo(Long.MIN_VALUE);
		assertThat(low.exactValue()).isEqualTo(BigInteger.valueOf(Long.MAX_VALUE).multiply(BigInteger.valueOf(-2)));
	}

	@Test
	void pruningAPNCounterMovesBothOfTheRemovedReplicasSlots() {
		PNCounter counter = PNCounter.empty().increment("R", 5).state().decrement("R", 2).state()
			.merge(PNCounter.empty().increment("L", 1).state());
		Mutation<PNCounter> pruned = counter.prune("R", "L");
		assertThat(pruned.state().value()).isEqualTo(4);
		assertThat(pruned.state().needsPruningFrom("R")).isFalse();
		assertThat(pruned.state().prunedReplicas()).containsExactly("R");
		assertThat(counter.merge(pruned.delta())).isEqualTo(pruned.state());
	}

}
