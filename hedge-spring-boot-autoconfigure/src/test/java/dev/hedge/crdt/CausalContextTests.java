package dev.hedge.crdt;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.hedge.crdt.CausalContext.Range;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link CausalContext}: one canonical form for a version vector and a dot cloud, so that a delta's loose dots merge
 * into a state's ranges by union and close their gaps when the missing dots arrive.
 */
class CausalContextTests {

	@Test
	void looseDotsJoinIntoRangesWhenTheGapsBetweenThemArrive() {
		CausalContext cloud = CausalContext.of(List.of(new Dot("A", 1), new Dot("A", 3), new Dot("B", 2)));
		assertThat(cloud).hasToString("{A=[1, 3], B=[2]}");
		assertThat(cloud.contains(new Dot("A", 2))).isFalse();
		assertThat(cloud.contains(new Dot("A", 3))).isTrue();
		CausalContext closed = cloud.add(new Dot("A", 2)).add(new Dot("B", 1));
		assertThat(closed).hasToString("{A=[1..3], B=[1..2]}");
		assertThat(closed.ranges()).isEqualTo(Map.of("A", List.of(new Range(1, 3)), "B", List.of(new Range(1, 2))));
	}

	@Test
	void equalSetsOfDotsGiveEqualContextsHoweverTheyWereBuilt() {
		CausalContext fromRanges = CausalContext.of(Map.of("A", List.of(new Range(4, 6), new Range(1, 2),
				new Range(3, 3), new Range(9, 9))));
		CausalContext fromDots = CausalContext.of(List.of(new Dot("A", 9), new Dot("A", 6), new Dot("A", 5),
				new Dot("A", 4), new Dot("A", 3), new Dot("A", 2), new Dot("A", 1)));
		assertThat(fromRanges).isEqualTo(fromDots).hasSameHashCodeAs(fromDots).hasToString("{A=[1..6, 9]}");
		assertThat(fromRanges.merge(fromDots)).isEqualTo(fromDots);
	}

	@Test
	void theNextDotOfAReplicaFollowsItsHighestCounterSeen() {
		CausalContext context = CausalContext.of(List.of(new Dot("A", 1), new Dot("A", 5)));
		assertThat(context.nextDot("A")).isEqualTo(new Dot("A", 6));
		assertThat(context.nextDot("B")).isEqualTo(new Dot("B", 1));
		assertThat(context.max("A")).isEqualTo(5);
		assertThat(context.mentions("B")).isFalse();
	}

	@Test
	void restrictingToAWindowKeepsOnlyItsDots() {
		CausalContext context = CausalContext.of(Map.of("A", List.of(new Range(1, 10)), "B",
				List.of(new Range(1, 3))));
		CausalContext window = context.restrict(Map.of("A", new long[] { 4, Long.MAX_VALUE }));
		assertThat(window).hasToString("{A=[4..10]}");
	}

	@Test
	void dotsAndRangesStartAtOne() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Dot("A", 0));
		assertThatIllegalArgumentException().isThrownBy(() -> new Range(0, 1));
		assertThatIllegalArgumentException().isThrownBy(() -> new Range(3, 2));
		assertThatIllegalArgumentException().isThrownBy(() -> new Dot("", 1));
	}

}
