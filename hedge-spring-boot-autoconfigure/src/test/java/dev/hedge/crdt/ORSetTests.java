package dev.hedge.crdt;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link ORSet}: adds win over concurrent removes, remove deltas carry the removed dots, deltas arriving out of order
 * or with gaps still do the right thing, pruning re-adds under the survivor, and a split spreads the removals too.
 */
class ORSetTests {

	private final ORSet<String> empty = ORSet.empty();

	@Test
	void anAddConcurrentWithARemoveWins() {
		ORSet<String> a = this.empty.add("A", "x").state();
		ORSet<String> removedAtB = this.empty.merge(a).remove("x").state();
		ORSet<String> addedAgainAtA = a.add("A", "x").state();
		assertThat(removedAtB.merge(addedAgainAtA).elements()).containsExactly("x");
		assertThat(addedAgainAtA.merge(removedAtB).elements()).containsExactly("x");
		assertThat(a.merge(removedAtB).elements()).as("without a concurrent add the remove holds").isEmpty();
	}

	@Test
	void aRemoveDeltaCarriesTheRemovedDotsAndRemovesThoseAddsWhereverTheyWereSeen() {
		Mutation<ORSet<String>> add = this.empty.add("A", "x");
		ORSet<String> b = this.empty.merge(add.delta());
		ORSet<String> c = this.empty.merge(add.delta()).add("C", "y").state();
		Mutation<ORSet<String>> remove = b.remove("x");
		assertThat(remove.delta().isEmpty()).isTrue();
		assertThat(remove.delta().context()).hasToString("{A=[1]}");
		assertThat(c.merge(remove.delta()).elements()).containsExactly("y");
		ORSet<String> concurrentAdd = this.empty.add("D", "x").state();
		assertThat(concurrentAdd.merge(remove.delta()).elements()).as("an add the remove did not see")
			.containsExactly("x");
	}

	@Test
	void aRemoveDeltaArrivingBeforeTheAddItRemovedStillRemovesIt() {
		Mutation<ORSet<String>> add = this.empty.add("A", "x");
		Mutation<ORSet<String>> remove = add.state().remove("x");
		ORSet<String> late = this.empty.merge(remove.delta()).merge(add.delta());
		assertThat(late.elements()).isEmpty();
		assertThat(late).isEqualTo(remove.state());
	}

	@Test
	void deltasArrivingWithAGapLeaveADotCloudThatClosesWhenTheGapArrives() {
		Mutation<ORSet<String>> first = this.empty.add("A", "x");
		Mutation<ORSet<String>> second = first.state().add("A", "y");
		Mutation<ORSet<String>> third = second.state().add("A", "z");
		ORSet<String> gap = this.empty.merge(first.delta()).merge(third.delta());
		assertThat(gap.context()).hasToString("{A=[1, 3]}");
		assertThat(gap.elements()).containsExactlyInAnyOrder("x", "z");
		ORSet<String> closed = gap.merge(second.delta());
		assertThat(closed.context()).hasToString("{A=[1..3]}");
		assertThat(closed).isEqualTo(third.state());
	}

	@Test
	void addingAnElementAgainReplacesItsDotsAndTheDeltaSaysWhich() {
		Mutation<ORSet<String>> again = this.empty.add("A", "x").state().add("A", "x");
		assertThat(again.state().dots()).isEqualTo(Map.of("x", Set.of(new Dot("A", 2))));
		assertThat(again.delta().context()).hasToString("{A=[1..2]}");
	}

	@Test
	void pruningReaddsWhatOnlyTheRemovedReplicaAddedUnderTheSurvivorsDots() {
		ORSet<String> removedLast = this.empty.add("R", "x").state().add("R", "y").state();
		ORSet<String> survivor = removedLast.merge(this.empty.add("L", "y").state());
		Mutation<ORSet<String>> pruned = survivor.prune("R", "L");
		assertThat(pruned.state().elements()).containsExactlyInAnyOrder("x", "y");
		assertThat(pruned.state().dots()).isEqualTo(Map.of("x", Set.of(new Dot("L", 2)), "y",
				Set.of(new Dot("L", 1), new Dot("L", 3))));
		assertThat(pruned.state().context().replicas()).containsExactly("L");
		assertThat(pruned.state().prunedReplicas()).containsExactly("R");
		assertThat(pruned.state().merge(removedLast)).as("R's old state merged late").isEqualTo(pruned.state());
		ORSet<String> other = removedLast.merge(this.empty.add("M", "z").state());
		assertThat(other.merge(pruned.delta()).elements()).containsExactlyInAnyOrder("x", "y", "z");
		assertThat(other.merge(pruned.delta()).needsPruningFrom("R")).isFalse();
		assertThatIllegalStateException().isThrownBy(() -> pruned.state().add("R", "w"));
		assertThatIllegalArgumentException().isThrownBy(() -> survivor.prune("L", "L"));
	}

	@Test
	void aSetIsSplitIntoChunksThatMergeBackToItRemovalsIncluded() {
		ORSet<String> set = this.empty;
		for (String element : List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j")) {
			set = set.add("A", element).state();
		}
		ORSet<String> beforeRemovals = set;
		set = set.remove("c").state().remove("e").state();
		List<ORSet<String>> chunks = set.split(3);
		assertThat(chunks).hasSize(3)
			.allSatisfy((chunk) -> assertThat(chunk.dots().values().stream().mapToInt(Set::size).sum())
				.isLessThanOrEqualTo(3));
		ORSet<String> joined = this.empty;
		ORSet<String> behind = beforeRemovals;
		for (ORSet<String> chunk : chunks) {
			joined = joined.merge(chunk);
			behind = behind.merge(chunk);
			assertThat(set.merge(chunk)).isEqualTo(set);
		}
		assertThat(joined).isEqualTo(set);
		assertThat(behind).as("a replica that had not seen the removals, after all chunks").isEqualTo(set);
		assertThat(set.split(8)).containsExactly(set);
	}

	@Test
	void aSetIsRebuiltFromItsParts() {
		ORSet<String> set = this.empty.add("A", "x").state().add("B", "y").state().remove("x").state();
		assertThat(ORSet.of(set.dots(), set.context(), set.prunedReplicas())).isEqualTo(set);
		assertThatIllegalArgumentException().isThrownBy(
				() -> ORSet.of(Map.of("x", Set.of(new Dot("C", 1))), set.context(), Set.of()));
		assertThatIllegalArgumentException().isThrownBy(
				() -> ORSet.of(Map.of(), set.context(), Set.of("A")));
	}

	@Test
	void toStringShowsElementsDotsAndContext() {
		ORSet<String> set = this.empty.add("A", "x").state().add("A", "y").state().remove("x").state();
		assertThat(set).hasToString("ORSet{elements=[y], dots={y=[A:2]}, context={A=[1..2]}}");
	}

}
