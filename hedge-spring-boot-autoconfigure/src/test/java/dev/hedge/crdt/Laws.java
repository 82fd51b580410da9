package dev.hedge.crdt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

import dev.hedge.crdt.Scenario.Step;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The properties every replicated type must have, each checked on one generated {@link Scenario}. Each method runs
 * the scenario in the world(s) it needs and throws {@link AssertionError} on the first violation.
 */
final class Laws {

	private static final int TRIPLES = 8;

	private Laws() {
	}

	/** Merge is commutative, associative and idempotent on states and deltas alike, and changes neither side. */
	static <T extends ReplicatedData<T>> void lattice(Model<T> model, Scenario scenario) {
		List<T> pool = pool(model, scenario);
		SplittableRandom random = new SplittableRandom(scenario.seed());
		for (int i = 0; i < TRIPLES; i++) {
			T x = pool.get(random.nextInt(pool.size()));
			T y = pool.get(random.nextInt(pool.size()));
			T z = pool.get(random.nextInt(pool.size()));
			List<Integer> before = List.of(x.hashCode(), y.hashCode(), z.hashCode());
			T xy = x.merge(y);
			same(y.merge(x), xy, "commutativity: y.merge(x) vs x.merge(y) for x=%s, y=%s", x, y);
			same(x.merge(y.merge(z)), xy.merge(z), "associativity: x.merge(y.merge(z)) vs x.merge(y).merge(z) "
					+ "for x=%s, y=%s, z=%s", x, y, z);
			same(x.merge(x), x, "idempotence: x.merge(x) vs x for x=%s", x);
			assertThat(List.of(x.hashCode(), y.hashCode(), z.hashCode())).as("merge changed an operand of %s, %s, %s",
					x, y, z)
				.isEqualTo(before);
		}
	}

	/** Merge never loses information, the empty value is its identity, and a replica's state only grows. */
	static <T extends ReplicatedData<T>> void inflation(Model<T> model, Scenario scenario) {
		List<T> pool = new ArrayList<>();
		World<T> world = new World<>(model, scenario, "mixed");
		world.listen((replica, before, mutation) -> same(mutation.state().merge(before), mutation.state(),
				"a mutation's new state merged with the old one, for old=%s", before));
		runMixed(world, scenario, pool);
		pool.addAll(world.deltas);
		T empty = model.empty();
		SplittableRandom random = new SplittableRandom(scenario.seed());
		for (int i = 0; i < TRIPLES; i++) {
			T x = pool.get(random.nextInt(pool.size()));
			T y = pool.get(random.nextInt(pool.size()));
			T xy = x.merge(y);
			same(xy.merge(x), xy, "inflation: x.merge(y).merge(x) vs x.merge(y) for x=%s, y=%s", x, y);
			same(xy.merge(y), xy, "inflation: x.merge(y).merge(y) vs x.merge(y) for x=%s, y=%s", x, y);
			if (empty != null) {
				same(x.merge(empty), x, "identity: x.merge(empty) vs x for x=%s", x);
				same(empty.merge(x), x, "identity: empty.merge(x) vs x for x=%s", x);
			}
		}
	}

	/**
	 * Every mutation's delta, merged into the old state (either way round) or into any state that has seen the old
	 * state, gives what merging the new state would; and the delta is below the new state.
	 */
	static <T extends ReplicatedData<T>> void deltas(Model<T> model, Scenario scenario) {
		World<T> world = new World<>(model, scenario, "mixed");
		world.listen((replica, before, mutation) -> {
			T delta = mutation.delta();
			T after = mutation.state();
			same(delta.merge(before), after, "delta.merge(old) vs new for old=%s, delta=%s", before, delta);
			same(after.merge(delta), after, "new.merge(delta) vs new for new=%s, delta=%s", after, delta);
			for (int other = 0; other < world.size(); other++) {
				T seen = world.state(other);
				if (before.merge(seen).equals(seen)) {
					same(seen.merge(delta), seen.merge(after), "a state that saw the old state merged with the delta "
							+ "vs with the new state, for state=%s, delta=%s, new=%s", seen, delta, after);
				}
			}
		});
		runMixed(world, scenario, null);
	}

	/**
	 * Replicas that send each other, as deltas, everything they have (shuffled, with duplicates) hold at every
	 * step exactly what replicas sending full states hold.
	 */
	static <T extends ReplicatedData<T>> void deltasEqualFullStates(Model<T> model, Scenario scenario) {
		World<T> full = new World<>(model, scenario, "full");
		World<T> deltas = new World<>(model, scenario, "deltas");
		int number = 0;
		for (Step step : scenario.steps()) {
			number++;
			switch (step.kind()) {
				case OPERATE -> {
					full.operate(step.replica(), step.choice());
					deltas.operate(step.replica(), step.choice());
				}
				case SYNC -> {
					full.mergeState(step.replica(), step.other());
					deltas.mergeDeltasOf(step.replica(), step.other(), step.choice());
				}
				case DELIVER -> {
				}
				case KILL -> {
					full.kill(step.replica());
					deltas.kill(step.replica());
				}
				case PRUNE -> {
					int victim = full.victim(step.replica(), step.other());
					if (victim >= 0) {
						full.prune(step.replica(), victim);
						deltas.prune(step.replica(), victim);
					}
				}
			}
			sameStates(full, deltas, "after step " + number);
		}
		full.exchangeAllStates();
		deltas.deliverAllDeltas(scenario.seed());
		sameStates(full, deltas, "after exchanging everything");
		converged(full);
	}

	/**
	 * Replicas that exchange only deltas, one at a time, late, out of order and with duplicates (including deltas
	 * of replicas that died and were pruned meanwhile), converge once every delta has arrived, to the join of all
	 * the states.
	 */
	static <T extends ReplicatedData<T>> void deltasInAnyOrderConverge(Model<T> model, Scenario scenario) {
		World<T> world = new World<>(model, scenario, "deltas");
		for (Step step : scenario.steps()) {
			switch (step.kind()) {
				case OPERATE -> world.operate(step.replica(), step.choice());
				case SYNC, DELIVER -> world.deliverOne(step.replica(), step.choice());
				case KILL -> world.kill(step.replica());
				case PRUNE -> prune(world, step);
			}
		}
		T join = world.joinOfAll();
		world.deliverAllDeltas(scenario.seed());
		for (int replica = 0; replica < world.size(); replica++) {
			if (world.alive(replica)) {
				same(world.state(replica), join, "replica %s after every delta vs the join of all states",
						World.id(replica));
			}
		}
	}

	/**
	 * Pruning a dead replica, at a point where the replicas have exchanged their states, changes nothing that any
	 * replica reads then or later (compared with the same run without pruning), and the pruned replica's old states
	 * merged later do not bring it back.
	 */
	static <T extends ReplicatedData<T>> void pruningChangesNoValue(Model<T> model, Scenario scenario) {
		World<T> pruning = new World<>(model, scenario, "pruning");
		World<T> keeping = new World<>(model, scenario, "keeping");
		int number = 0;
		for (Step step : scenario.steps()) {
			number++;
			switch (step.kind()) {
				case OPERATE -> {
					pruning.operate(step.replica(), step.choice());
					keeping.operate(step.replica(), step.choice());
				}
				case SYNC -> {
					pruning.mergeState(step.replica(), step.other());
					keeping.mergeState(step.replica(), step.other());
				}
				case DELIVER -> {
				}
				case KILL -> {
					pruning.kill(step.replica());
					keeping.kill(step.replica());
				}
				case PRUNE -> {
					int victim = pruning.victim(step.replica(), step.other());
					if (victim >= 0) {
						pruning.exchangeAllStates();
						keeping.exchangeAllStates();
						pruning.prune(step.replica(), victim);
						keeping.prunedVictims.add(victim);
						pruning.exchangeAllStates();
						keeping.exchangeAllStates();
					}
				}
			}
			sameObservations(pruning, keeping, "after step " + number);
		}
		pruning.exchangeAllStates();
		keeping.exchangeAllStates();
		sameObservations(pruning, keeping, "after exchanging everything");
		for (int replica = 0; replica < pruning.size(); replica++) {
			if (pruning.alive(replica)) {
				for (int victim : pruning.prunedVictims) {
					assertThat(((RemovedReplicaPruning<?>) pruning.state(replica)).needsPruningFrom(World.id(victim)))
						.as("%s holds state of pruned %s again: %s", World.id(replica), World.id(victim),
								pruning.state(replica))
						.isFalse();
				}
			}
		}
	}

	/**
	 * The chunks of a split are each below the whole, bounded, and merge back (in any order, also into another
	 * replica's state) to the whole.
	 */
	static <T extends ReplicatedData<T>> void splitChunksMergeBack(Model<T> model, Scenario scenario) {
		List<T> pool = pool(model, scenario);
		Random random = new Random(scenario.seed());
		for (int i = 0; i < TRIPLES; i++) {
			T whole = pool.get(random.nextInt(pool.size()));
			T other = pool.get(random.nextInt(pool.size()));
			int max = 1 + random.nextInt(3);
			List<T> chunks = new ArrayList<>(model.split(whole, max));
			if (model.weight(whole) <= max) {
				assertThat(chunks).as("chunks of at most %d of %s", max, whole).containsExactly(whole);
			}
			for (T chunk : chunks) {
				assertThat(model.weight(chunk)).as("size of chunk %s of %s", chunk, whole).isLessThanOrEqualTo(max);
				same(whole.merge(chunk), whole, "whole.merge(chunk) vs whole for chunk=%s of whole=%s", chunk, whole);
			}
			Collections.shuffle(chunks, random);
			T joined = chunks.get(0);
			T into = other;
			for (T chunk : chunks) {
				joined = joined.merge(chunk);
				into = into.merge(chunk);
			}
			same(joined, whole, "the merge of the chunks %s vs the whole", chunks);
			same(into, other.merge(whole), "a state merged with all chunks %s vs with the whole %s", chunks, whole);
		}
	}

	/** The states and deltas of a run with every kind of step. */
	private static <T extends ReplicatedData<T>> List<T> pool(Model<T> model, Scenario scenario) {
		List<T> pool = new ArrayList<>();
		World<T> world = new World<>(model, scenario, "mixed");
		runMixed(world, scenario, pool);
		pool.addAll(world.deltas);
		return pool;
	}

	/** Runs the steps, syncing by full states and delivering single deltas; collects the states into pool. */
	private static <T extends ReplicatedData<T>> void runMixed(World<T> world, Scenario scenario, List<T> pool) {
		if (pool != null) {
			pool.add(world.model.initial());
			if (world.model.empty() != null) {
				pool.add(world.model.empty());
			}
		}
		for (Step step : scenario.steps()) {
			switch (step.kind()) {
				case OPERATE -> world.operate(step.replica(), step.choice());
				case SYNC -> world.mergeState(step.replica(), step.other());
				case DELIVER -> world.deliverOne(step.replica(), step.choice());
				case KILL -> world.kill(step.replica());
				case PRUNE -> prune(world, step);
			}
			if (pool != null) {
				pool.add(world.state(step.replica()));
			}
		}
	}

	private static <T extends ReplicatedData<T>> void prune(World<T> world, Step step) {
		int victim = world.victim(step.replica(), step.other());
		if (victim >= 0) {
			world.prune(step.replica(), victim);
		}
	}

	private static <T extends ReplicatedData<T>> void sameStates(World<T> a, World<T> b, String when) {
		for (int replica = 0; replica < a.size(); replica++) {
			same(b.state(replica), a.state(replica), "replica %s %s", World.id(replica), when);
		}
	}

	private static <T extends ReplicatedData<T>> void sameObservations(World<T> a, World<T> b, String when) {
		for (int replica = 0; replica < a.size(); replica++) {
			if (a.alive(replica)) {
				assertThat(a.model.observe(a.state(replica)))
					.as("what %s reads %s, pruned %s vs not %s", World.id(replica), when, a.state(replica),
							b.state(replica))
					.isEqualTo(b.model.observe(b.state(replica)));
			}
		}
	}

	private static <T extends ReplicatedData<T>> void converged(World<T> world) {
		T first = null;
		for (int replica = 0; replica < world.size(); replica++) {
			if (world.alive(replica)) {
				if (first == null) {
					first = world.state(replica);
				}
				same(world.state(replica), first, "replica %s after exchanging everything", World.id(replica));
			}
		}
	}

	/** Equal, with equal hash codes. */
	static void same(Object actual, Object expected, String description, Object... arguments) {
		assertThat(actual).as(description, arguments).isEqualTo(expected);
		assertThat(actual.hashCode()).as("hash code of equal values: " + description, arguments)
			.isEqualTo(expected.hashCode());
	}

}
