package dev.hedge.crdt;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link GSet}: adds, one-element deltas, union, and splitting into parts. */
class GSetTests {

	@Test
	void addingAnElementAgainChangesNothingAndItsDeltaIsEmpty() {
		Mutation<GSet<String>> first = GSet.<String>empty().add("a");
		assertThat(first.delta().elements()).containsExactly("a");
		Mutation<GSet<String>> again = first.state().add("a");
		assertThat(again.state()).isSameAs(first.state());
		assertThat(again.delta()).isEqualTo(GSet.empty());
	}

	@Test
	void mergeIsTheUnion() {
		GSet<String> left = GSet.of(List.of("a", "b"));
		GSet<String> right = GSet.of(List.of("b", "c"));
		assertThat(left.merge(right).elements()).containsExactlyInAnyOrder("a", "b", "c");
		assertThat(left.merge(right)).hasToString("GSet[a, b, c]");
	}

	@Test
	void aLargeSetIsSplitIntoDisjointPartsThatMergeBackToIt() {
		List<Integer> numbers = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			numbers.add(i);
		}
		GSet<Integer> set = GSet.of(numbers);
		List<GSet<Integer>> parts = set.split(3);
		assertThat(parts).hasSize(4).allSatisfy((part) -> assertThat(part.size()).isLessThanOrEqualTo(3));
		GSet<Integer> joined = GSet.empty();
		for (GSet<Integer> part : parts) {
			joined = joined.merge(part);
		}
		assertThat(joined).isEqualTo(set);
		assertThat(set.split(10)).containsExactly(set);
		assertThat(GSet.of(Set.of()).split(1)).containsExactly(GSet.empty());
	}

}
