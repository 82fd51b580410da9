package dev.hedge.crdt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A simulated group of replicas of one type: each holds its own state, makes local operations, and receives others'
 * full states or deltas as the steps say. Every mutation is checked against the delta law on the spot; each world
 * keeps every delta produced, which replica has absorbed which (for exchanging "everything the sender has" as
 * deltas), and each replica's pending deltas (for random delivery).
 *
 * @param <T> the type
 */
final class World<T extends ReplicatedData<T>> {

	final Model<T> model;

	final List<T> states = new ArrayList<>();

	final boolean[] dead;

	final Set<Integer> prunedVictims = new HashSet<>();

	final List<T> deltas = new ArrayList<>();

	private final List<Set<Integer>> absorbed = new ArrayList<>();

	private final List<List<Integer>> pending = new ArrayList<>();

	private final List<List<Integer>> delivered = new ArrayList<>();

	private final String name;

	private final List<String> trace;

	private MutationListener<T> listener = (replica, before, mutation) -> {
	};

	World(Model<T> model, Scenario scenario, String name) {
		this.model = model;
		this.name = name;
		this.trace = scenario.trace();
		this.dead = new boolean[scenario.replicas()];
		for (int i = 0; i < scenario.replicas(); i++) {
			this.states.add(model.initial());
			this.absorbed.add(new LinkedHashSet<>());
			this.pending.add(new ArrayList<>());
			this.delivered.add(new ArrayList<>());
		}
	}

	World<T> listen(MutationListener<T> listener) {
		this.listener = listener;
		return this;
	}

	int size() {
		return this.states.size();
	}

	static String id(int replica) {
		return Scenario.IDS[replica];
	}

	T state(int replica) {
		return this.states.get(replica);
	}

	boolean alive(int replica) {
		return !this.dead[replica];
	}

	/** A local operation; {@code null} if the replica is dead. */
	Mutation<T> operate(int replica, long choice) {
		if (this.dead[replica]) {
			return null;
		}
		T before = state(replica);
		String description = (this.trace != null) ? this.model.describe(before, id(replica), choice) : null;
		Mutation<T> mutation = this.model.operate(before, id(replica), choice);
		mutated(replica, before, mutation, description);
		return mutation;
	}

	private void mutated(int replica, T before, Mutation<T> mutation, String description) {
		if (this.trace != null) {
			log(id(replica) + " " + description + " -> " + mutation.state() + "; delta " + mutation.delta());
		}
		assertThat(before.merge(mutation.delta())).as("old state merged with the delta of %s by %s", description,
				id(replica))
			.isEqualTo(mutation.state());
		this.states.set(replica, mutation.state());
		int index = this.deltas.size();
		this.deltas.add(mutation.delta());
		this.absorbed.get(replica).add(index);
		for (int other = 0; other < size(); other++) {
			if (other != replica) {
				this.pending.get(other).add(index);
			}
		}
		this.listener.mutated(replica, before, mutation);
	}

	/** {@code to} merges {@code from}'s full state (a dead {@code from} still has its last state). */
	void mergeState(int to, int from) {
		if (this.dead[to] || to == from) {
			return;
		}
		this.states.set(to, state(to).merge(state(from)));
		this.absorbed.get(to).addAll(this.absorbed.get(from));
		if (this.trace != null) {
			log(id(to) + " <- " + id(from) + " state: " + state(to));
		}
	}

	/**
	 * {@code to} merges every delta {@code from} has absorbed, shuffled, some twice: the same information as
	 * {@code from}'s state, sent as deltas.
	 */
	void mergeDeltasOf(int to, int from, long choice) {
		if (this.dead[to] || to == from) {
			return;
		}
		List<Integer> batch = shuffledWithDuplicates(this.absorbed.get(from), choice);
		T state = state(to);
		for (int index : batch) {
			state = state.merge(this.deltas.get(index));
		}
		this.states.set(to, state);
		this.absorbed.get(to).addAll(this.absorbed.get(from));
		if (this.trace != null) {
			log(id(to) + " <- " + id(from) + " deltas " + batch + ": " + state);
		}
	}

	/** {@code to} merges one pending delta, or (one time in five) again one it already merged. */
	void deliverOne(int to, long choice) {
		if (this.dead[to]) {
			return;
		}
		SplittableRandom random = new SplittableRandom(choice);
		List<Integer> pendingHere = this.pending.get(to);
		List<Integer> deliveredHere = this.delivered.get(to);
		int index;
		if (!deliveredHere.isEmpty() && (pendingHere.isEmpty() || random.nextInt(5) == 0)) {
			index = deliveredHere.get(random.nextInt(deliveredHere.size()));
		}
		else if (!pendingHere.isEmpty()) {
			index = pendingHere.remove(random.nextInt(pendingHere.size()));
			deliveredHere.add(index);
		}
		else {
			return;
		}
		this.states.set(to, state(to).merge(this.deltas.get(index)));
		this.absorbed.get(to).add(index);
		if (this.trace != null) {
			log(id(to) + " <- delta " + index + " " + this.deltas.get(index) + ": " + state(to));
		}
	}

	/** Stops {@code replica} for good, if at least two others are still running. */
	boolean kill(int replica) {
		int alive = 0;
		for (boolean gone : this.dead) {
			alive += gone ? 0 : 1;
		}
		if (this.dead[replica] || alive < 3) {
			return false;
		}
		this.dead[replica] = true;
		log(id(replica) + " dies");
		return true;
	}

	/**
	 * The dead replica a prune step would prune: {@code wanted} if it is dead and not pruned yet, else the first such
	 * replica; -1 if there is none or {@code pruner} is dead.
	 */
	int victim(int pruner, int wanted) {
		if (this.dead[pruner]) {
			return -1;
		}
		if (this.dead[wanted] && !this.prunedVictims.contains(wanted)) {
			return wanted;
		}
		for (int replica = 0; replica < size(); replica++) {
			if (this.dead[replica] && !this.prunedVictims.contains(replica)) {
				return replica;
			}
		}
		return -1;
	}

	/** {@code pruner} prunes {@code victim} into itself; checks the value reads the same. */
	@SuppressWarnings("unchecked")
	void prune(int pruner, int victim) {
		this.prunedVictims.add(victim);
		T before = state(pruner);
		Mutation<?> pruned = ((RemovedReplicaPruning<?>) before).prune(id(victim), id(pruner));
		Mutation<T> mutation = (Mutation<T>) pruned;
		assertThat(this.model.observe(mutation.state())).as("what %s reads as after pruning %s", id(pruner),
				id(victim))
			.isEqualTo(this.model.observe(before));
		assertThat(((RemovedReplicaPruning<?>) mutation.state()).needsPruningFrom(id(victim))).isFalse();
		boolean sawVictimsLastState = before.merge(state(victim)).equals(before);
		for (int other = 0; other < size(); other++) {
			if (sawVictimsLastState && !this.dead[other] && other != pruner
					&& before.merge(state(other)).equals(state(other))) {
				keepsShared(state(other), mutation);
			}
		}
		mutated(pruner, before, mutation, "prune(" + id(victim) + " into " + id(pruner) + ")");
	}

	/**
	 * When the pruner had seen the removed replica's last state (as the pruning rule asks), a replica that has seen
	 * the pruner's state from before the pruning and merges the pruning delta keeps every element (or key) that it
	 * and the pruner both hold. (A pruner that had not seen it drops what it missed; a replica that had not seen the
	 * pruner's state may lose, until the pruner's earlier deltas arrive, an element it held only through the removed
	 * replica's add that the pruner's own add replaced: deltas keep causal consistency only when each replica's
	 * deltas arrive in order.)
	 */
	private void keepsShared(T replica, Mutation<T> pruning) {
		Object mine = this.model.observe(replica);
		Object theirs = this.model.observe(pruning.state());
		Object merged = this.model.observe(replica.merge(pruning.delta()));
		Set<Object> shared = new HashSet<>(names(mine));
		shared.retainAll(names(theirs));
		assertThat(new HashSet<Object>(names(merged)))
			.as("what %s reads after merging the pruning delta %s", replica, pruning.delta())
			.containsAll(shared);
	}

	/** The elements, or the keys, of an observation; nothing for a counter's value. */
	private static Set<?> names(Object observation) {
		if (observation instanceof Set<?> set) {
			return set;
		}
		return (observation instanceof Map<?, ?> map) ? map.keySet() : Set.of();
	}

	/** The join of every replica's state, dead or alive. */
	T joinOfAll() {
		T join = state(0);
		for (T state : this.states) {
			join = join.merge(state);
		}
		return join;
	}

	/** Every live replica merges every replica's state. */
	void exchangeAllStates() {
		T join = joinOfAll();
		for (int replica = 0; replica < size(); replica++) {
			if (!this.dead[replica]) {
				this.states.set(replica, state(replica).merge(join));
				this.absorbed.get(replica).addAll(allDeltas());
			}
		}
		if (this.trace != null) {
			log("everyone <- everyone: " + join);
		}
	}

	/** Every live replica merges every delta ever made, shuffled, some twice. */
	void deliverAllDeltas(long choice) {
		for (int replica = 0; replica < size(); replica++) {
			if (!this.dead[replica]) {
				T state = state(replica);
				for (int index : shuffledWithDuplicates(allDeltas(), choice + replica)) {
					state = state.merge(this.deltas.get(index));
				}
				this.states.set(replica, state);
				this.absorbed.get(replica).addAll(allDeltas());
			}
		}
		log("everyone <- every delta");
	}

	private Set<Integer> allDeltas() {
		Set<Integer> all = new LinkedHashSet<>();
		for (int i = 0; i < this.deltas.size(); i++) {
			all.add(i);
		}
		return all;
	}

	private static List<Integer> shuffledWithDuplicates(Set<Integer> indexes, long choice) {
		Random random = new Random(choice);
		List<Integer> batch = new ArrayList<>(indexes);
		for (int index : indexes) {
			if (random.nextInt(4) == 0) {
				batch.add(index);
			}
		}
		Collections.shuffle(batch, random);
		return batch;
	}

	void log(String line) {
		if (this.trace != null) {
			this.trace.add("[" + this.name + "] " + line);
		}
	}

	/** Called after every mutation, with the state it was made on. */
	interface MutationListener<T extends ReplicatedData<T>> {

		void mutated(int replica, T before, Mutation<T> mutation);

	}

}
