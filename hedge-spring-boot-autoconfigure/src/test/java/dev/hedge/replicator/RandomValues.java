package dev.hedge.replicator;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.hedge.crdt.GCounter;
import dev.hedge.crdt.GSet;
import dev.hedge.crdt.LWWRegister;
import dev.hedge.crdt.Mutation;
import dev.hedge.crdt.ORMap;
import dev.hedge.crdt.ORSet;
import dev.hedge.crdt.PNCounter;
import dev.hedge.crdt.RemovedReplicaPruning;
import dev.hedge.crdt.ReplicatedData;

/**
 * Random values of every replicated type, grown by a few replicas that update, remove, merge each other's states and
 * prune one another, so that values carry contexts with gaps, several dots per element and pruning markers.
 */
final class RandomValues {

	static final List<DataType<?>> TYPES = List.of(DataType.growOnlyCounter(), DataType.counter(),
			DataType.growOnlySet(String.class), DataType.growOnlySet(Long.class), DataType.set(String.class),
			DataType.set(Long.class), DataType.register(String.class), DataType.register(Long.class),
			DataType.map(String.class, DataType.growOnlySet(String.class)),
			DataType.map(Long.class, DataType.counter()), DataType.map(String.class, DataType.set(Long.class)));

	private final Random random;

	private final int domain;

	private final boolean prune;

	RandomValues(long seed) {
		this(seed, 12, true);
	}

	/**
	 * Values whose elements and keys are drawn from {@code domain} scalars, pruned now and then or never (pruning
	 * folds a map key's contributions into one, which chunking cannot split).
	 */
	RandomValues(long seed, int domain, boolean prune) {
		this.random = new Random(seed);
		this.domain = domain;
		this.prune = prune;
	}

	Random random() {
		return this.random;
	}

	/** A value of the type grown by {@code replicas} replicas over {@code steps} steps. */
	@SuppressWarnings({ "unchecked", "rawtypes" })
	ReplicatedData<?> value(DataType<?> type, int replicas, int steps) {
		List<ReplicatedData> states = new ArrayList<>();
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < replicas; i++) {
			ids.add("127.0.0.1:" + (9000 + i) + "#r" + i);
			states.add(null);
		}
		for (int step = 0; step < steps; step++) {
			int r = this.random.nextInt(replicas);
			int roll = this.random.nextInt(10);
			if (roll < 6 || states.get(r) == null) {
				states.set(r, operate(type, states.get(r), ids.get(r)).state());
			}
			else if (roll < 9) {
				int other = this.random.nextInt(replicas);
				if (states.get(other) != null) {
					states.set(r, (states.get(r) == null) ? states.get(other) : states.get(r).merge(states.get(other)));
				}
			}
			else if (this.prune && states.get(r) instanceof RemovedReplicaPruning prunable) {
				int removed = this.random.nextInt(replicas);
				if (removed != r && !prunable.prunedReplicas().contains(ids.get(r))) {
					states.set(r, prunable.prune(ids.get(removed), ids.get(r)).state());
					// the pruned replica was gone: its process comes back under a new id
					ids.set(removed, ids.get(removed) + "+");
				}
			}
		}
		ReplicatedData value = null;
		for (ReplicatedData state : states) {
			if (state != null) {
				value = (value == null) ? state : value.merge(state);
			}
		}
		return (value != null) ? value : operate(type, null, ids.get(0)).state();
	}

	private Object scalar(Scalar scalar) {
		int n = this.random.nextInt(this.domain);
		return (scalar == Scalar.STRING) ? "e" + n + ((n % 5 == 0) ? "-\u00e9\u4e2d" : "") : (long) (n * 1_000_003 - 6);
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	Mutation operate(DataType<?> type, ReplicatedData current, String replica) {
		ReplicatedData value = (current != null) ? current : type.empty();
		switch (type.kind()) {
			case G_COUNTER:
				return ((GCounter) value).increment(replica, 1 + this.random.nextInt(5));
			case PN_COUNTER:
				return this.random.nextBoolean() ? ((PNCounter) value).increment(replica, 1 + this.random.nextInt(5))
						: ((PNCounter) value).decrement(replica, 1 + this.random.nextInt(5));
			case G_SET:
				return ((GSet) value).add(scalar(type.scalar()));
			case OR_SET:
				return (this.random.nextInt(3) == 0) ? ((ORSet) value).remove(scalar(type.scalar()))
						: ((ORSet) value).add(replica, scalar(type.scalar()));
			case LWW_REGISTER:
				Object v = scalar(type.scalar());
				long ts = this.random.nextInt(50);
				if (value == null) {
					LWWRegister first = new LWWRegister(v, ts, replica);
					return new Mutation(first, first);
				}
				return ((LWWRegister) value).set(replica, v, ts);
			default:
				ORMap map = (ORMap) value;
				Object key = scalar(type.scalar());
				if (this.random.nextInt(4) == 0) {
					return map.remove(key);
				}
				DataType<?> nested = type.valueType();
				return map.update(replica, key, nested.empty(),
						(Object n) -> operate(nested, (ReplicatedData) n, replica));
		}
	}

}
