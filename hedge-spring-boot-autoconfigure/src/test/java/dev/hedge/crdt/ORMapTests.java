package dev.hedge.crdt;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link ORMap}: likes per post, one-key deltas, what a remove concurrent with an update leaves, one contribution per
 * replica for counters, pruning of nested counters, and sub-maps and splits.
 */
class ORMapTests {

	private final ORMap<String, GSet<String>> posts = ORMap.empty();

	private static Mutation<ORMap<String, GSet<String>>> like(ORMap<String, GSet<String>> map, String replica,
			String post, String user) {
		return map.update(replica, post, GSet.empty(), (likes) -> likes.add(user));
	}

	private static Mutation<ORMap<String, PNCounter>> count(ORMap<String, PNCounter> map, String replica, String key,
			long n) {
		return map.update(replica, key, PNCounter.empty(), (counter) -> counter.increment(replica, n));
	}

	@Test
	void likesPerPostCountEachUserOnceAcrossThreeReplicas() {
		List<ORMap<String, GSet<String>>> deltas = new ArrayList<>();
		Mutation<ORMap<String, GSet<String>>> a = like(this.posts, "A", "p1", "alice");
		deltas.add(a.delta());
		Mutation<ORMap<String, GSet<String>>> b = like(this.posts, "B", "p1", "alice");
		deltas.add(b.delta());
		b = like(b.state(), "B", "p1", "bob");
		deltas.add(b.delta());
		Mutation<ORMap<String, GSet<String>>> c = like(this.posts, "C", "p2", "alice");
		deltas.add(c.delta());
		c = like(c.state(), "C", "p1", "carol");
		deltas.add(c.delta());
		Mutation<ORMap<String, GSet<String>>> twice = like(a.state(), "A", "p1", "alice");
		assertThat(twice.delta()).as("a like that changes nothing").isEqualTo(ORMap.empty());
		for (ORMap<String, GSet<String>> replica : List.of(a.state(), b.state(), c.state())) {
			ORMap<String, GSet<String>> converged = replica;
			for (ORMap<String, GSet<String>> delta : deltas) {
				converged = converged.merge(delta);
			}
			assertThat(converged.get("p1").orElseThrow().elements()).containsExactlyInAnyOrder("alice", "bob",
					"carol");
			assertThat(converged.get("p2").orElseThrow().size()).isEqualTo(1);
			assertThat(converged).isEqualTo(a.state().merge(b.state()).merge(c.state()));
		}
	}

	@Test
	void anUpdatesDeltaHoldsOnlyThatKeysNewContribution() {
		ORMap<String, GSet<String>> map = like(like(this.posts, "A", "p1", "alice").state(), "A", "p2", "bob")
			.state();
		Mutation<ORMap<String, GSet<String>>> update = like(map, "A", "p2", "carol");
		assertThat(update.delta().keys()).containsExactly("p2");
		assertThat(update.delta().contributions().get("p2")).isEqualTo(Map.of(new Dot("A", 3),
				GSet.of(List.of("carol"))));
		assertThat(update.state().get("p2").orElseThrow().elements()).containsExactlyInAnyOrder("bob", "carol");
	}

	@Test
	void aRemoveConcurrentWithAnUpdateKeepsTheKeyWithWhatTheRemoveHadNotObserved() {
		ORMap<String, GSet<String>> a = like(this.posts, "A", "p1", "alice").state();
		Mutation<ORMap<String, GSet<String>>> removedAtB = this.posts.merge(a).remove("p1");
		Mutation<ORMap<String, GSet<String>>> likedAtA = like(a, "A", "p1", "bob");
		ORMap<String, GSet<String>> merged = removedAtB.state().merge(likedAtA.state());
		assertThat(merged.keys()).containsExactly("p1");
		assertThat(merged.get("p1").orElseThrow().elements()).as("alice's like was observed by the remove")
			.containsExactly("bob");
		assertThat(likedAtA.state().merge(removedAtB.delta())).isEqualTo(merged);
		assertThat(a.merge(removedAtB.delta()).isEmpty()).as("with no concurrent update the remove holds").isTrue();
	}

	@Test
	void aCounterKeyRemovedConcurrentlyWithAnIncrementKeepsThatReplicasWholeCount() {
		ORMap<String, PNCounter> a = count(ORMap.empty(), "A", "views", 3).state();
		ORMap<String, PNCounter> b = count(a, "B", "views", 2).state();
		a = a.merge(b);
		ORMap<String, PNCounter> removedAtC = ORMap.<String, PNCounter>empty().merge(b).remove("views").state();
		ORMap<String, PNCounter> incrementedAtA = count(a, "A", "views", 1).state();
		assertThat(removedAtC.merge(incrementedAtA).get("views").orElseThrow().value()).isEqualTo(4);
	}

	@Test
	void aCounterKeyKeepsOneContributionPerReplica() {
		ORMap<String, PNCounter> map = ORMap.empty();
		for (int i = 0; i < 5; i++) {
			map = count(map, "A", "k", 1).state();
			map = count(map, "B", "k", 2).state();
		}
		assertThat(map.get("k").orElseThrow().value()).isEqualTo(15);
		assertThat(map.contributions().get("k")).hasSize(2);
	}

	@Test
	void aKeyUpdatedAfterItsRemovalStartsAgainFromTheInitialValue() {
		ORMap<String, GSet<String>> map = like(this.posts, "A", "p1", "alice").state().remove("p1").state();
		assertThat(map.containsKey("p1")).isFalse();
		map = like(map, "A", "p1", "bob").state();
		assertThat(map.get("p1").orElseThrow().elements()).containsExactly("bob");
	}

	@Test
	void pruningKeepsEveryValueAndFilesNestedCountsUnderThePrunersSlot() {
		ORMap<String, GCounter> removedLast = ORMap.<String, GCounter>empty()
			.update("R", "k", GCounter.empty(), (counter) -> counter.increment("R", 4))
			.state();
		ORMap<String, GCounter> survivor = removedLast
			.update("L", "k", GCounter.empty(), (counter) -> counter.increment("L", 1))
			.state();
		assertThat(survivor.needsPruningFrom("R")).isTrue();
		Mutation<ORMap<String, GCounter>> pruned = survivor.prune("R", "L");
		GCounter value = pruned.state().get("k").orElseThrow();
		assertThat(value.value()).isEqualTo(5);
		assertThat(value.slots()).isEqualTo(Map.of("L", 1L, ORMap.prunedSlotOf("L"), 4L));
		assertThat(pruned.state().context().replicas()).containsExactly("L");
		assertThat(pruned.state().needsPruningFrom("R")).isFalse();
		assertThat(pruned.state().merge(removedLast)).as("R's old state merged late").isEqualTo(pruned.state());
		assertThat(survivor.merge(pruned.delta())).isEqualTo(pruned.state());
	}

	@Test
	void pruningRedoesOnlyTheRemovedReplicasUpdatesSoAConcurrentRemoveStillDropsTheOthers() {
		ORMap<String, GSet<String>> byX = like(this.posts, "X", "p1", "xavier").state();
		ORMap<String, GSet<String>> byR = like(this.posts, "R", "p1", "rita").state();
		ORMap<String, GSet<String>> pruner = byX.merge(byR);
		Mutation<ORMap<String, GSet<String>>> pruned = pruner.prune("R", "L");
		assertThat(pruned.state().contributions().get("p1")).containsOnlyKeys(new Dot("X", 1), new Dot("L", 1));
		ORMap<String, GSet<String>> removedAtY = byX.remove("p1").state();
		ORMap<String, GSet<String>> merged = removedAtY.merge(pruned.state());
		assertThat(merged.get("p1").orElseThrow().elements()).as("what the remove had not observed: R's like")
			.containsExactly("rita");
		assertThat(merged.get("p1")).isEqualTo(removedAtY.merge(pruner).get("p1"));
	}

	@Test
	void aSubMapCarriesSomeKeysAndNoRemovals() {
		ORMap<String, GSet<String>> map = this.posts;
		for (String post : List.of("p1", "p2", "p3", "p4")) {
			map = like(map, "A", post, "alice").state();
		}
		ORMap<String, GSet<String>> withP4 = map;
		map = map.remove("p4").state();
		ORMap<String, GSet<String>> sub = map.subMap(Set.of("p1", "p2", "p4"));
		assertThat(sub.keys()).containsExactlyInAnyOrder("p1", "p2");
		assertThat(map.merge(sub)).isEqualTo(map);
		assertThat(withP4.merge(sub).keys()).as("the sub-map does not carry p4's removal")
			.containsExactlyInAnyOrder("p1", "p2", "p3", "p4");
	}

	@Test
	void aMapIsSplitIntoChunksThatMergeBackToIt() {
		ORMap<String, GSet<String>> map = this.posts;
		for (int i = 0; i < 6; i++) {
			map = like(map, "A", "p" + (i % 3), "user" + i).state();
			map = like(map, "B", "p" + i, "user" + i).state();
		}
		map = map.remove("p5").state();
		List<ORMap<String, GSet<String>>> chunks = map.split(4);
		assertThat(chunks).hasSizeGreaterThan(1);
		ORMap<String, GSet<String>> joined = ORMap.empty();
		for (ORMap<String, GSet<String>> chunk : chunks) {
			assertThat(chunk.contributions().values().stream().mapToInt(Map::size).sum()).isLessThanOrEqualTo(4);
			joined = joined.merge(chunk);
		}
		assertThat(joined).isEqualTo(map);
	}

	@Test
	void aMapIsRebuiltFromItsParts() {
		ORMap<String, GSet<String>> map = like(like(this.posts, "A", "p1", "alice").state(), "B", "p1", "bob")
			.state();
		ORMap<String, GSet<String>> rebuilt = ORMap.of(map.contributions(), map.context(), map.prunedReplicas());
		assertThat(rebuilt).isEqualTo(map);
		assertThat(rebuilt.get("p1").orElseThrow().elements()).containsExactlyInAnyOrder("alice", "bob");
		assertThatIllegalArgumentException().isThrownBy(() -> ORMap.of(map.contributions(),
				CausalContext.empty(), Set.of()));
	}

}
