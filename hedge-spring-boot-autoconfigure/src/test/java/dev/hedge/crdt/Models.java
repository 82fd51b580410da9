package dev.hedge.crdt;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The {@link Model}s of the types, over small domains so that operations collide often. */
final class Models {

	static final String[] ELEMENTS = { "a", "b", "c", "d", "e", "f" };

	static final String[] KEYS = { "k1", "k2", "k3" };

	private Models() {
	}

	/** A number in {@code [0, bound)} drawn from {@code choice}; different salts give independent draws. */
	static int pick(long choice, int salt, int bound) {
		return (int) Math.floorMod(PropertyChecks.mix(choice + salt * 0x9e3779b97f4a7c15L), (long) bound);
	}

	static Model<GCounter> gCounter() {
		return new Model<>() {

			@Override
			public String name() {
				return "GCounter";
			}

			@Override
			public GCounter initial() {
				return GCounter.empty();
			}

			@Override
			public GCounter empty() {
				return GCounter.empty();
			}

			@Override
			public Mutation<GCounter> operate(GCounter state, String replica, long choice) {
				return state.increment(replica, 1 + pick(choice, 1, 3));
			}

			@Override
			public String describe(GCounter state, String replica, long choice) {
				return "increment(" + (1 + pick(choice, 1, 3)) + ")";
			}

			@Override
			public Object observe(GCounter state) {
				return state.exactValue();
			}

		};
	}

	static Model<PNCounter> pnCounter() {
		return new Model<>() {

			@Override
			public String name() {
				return "PNCounter";
			}

			@Override
			public PNCounter initial() {
				return PNCounter.empty();
			}

			@Override
			public PNCounter empty() {
				return PNCounter.empty();
			}

			@Override
			public Mutation<PNCounter> operate(PNCounter state, String replica, long choice) {
				int n = 1 + pick(choice, 1, 3);
				return (pick(choice, 0, 2) == 0) ? state.increment(replica, n) : state.decrement(replica, n);
			}

			@Override
			public String describe(PNCounter state, String replica, long choice) {
				return ((pick(choice, 0, 2) == 0) ? "increment(" : "decrement(") + (1 + pick(choice, 1, 3)) + ")";
			}

			@Override
			public Object observe(PNCounter state) {
				return state.exactValue();
			}

		};
	}

	static Model<GSet<String>> gSet() {
		return new Model<>() {

			@Override
			public String name() {
				return "GSet";
			}

			@Override
			public GSet<String> initial() {
				return GSet.empty();
			}

			@Override
			public GSet<String> empty() {
				return GSet.empty();
			}

			@Override
			public Mutation<GSet<String>> operate(GSet<String> state, String replica, long choice) {
				return state.add(ELEMENTS[pick(choice, 1, ELEMENTS.length)]);
			}

			@Override
			public String describe(GSet<String> state, String replica, long choice) {
				return "add(" + ELEMENTS[pick(choice, 1, ELEMENTS.length)] + ")";
			}

			@Override
			public Object observe(GSet<String> state) {
				return new TreeSet<>(state.elements());
			}

			@Override
			public List<GSet<String>> split(GSet<String> state, int max) {
				return state.split(max);
			}

			@Override
			public int weight(GSet<String> state) {
				return state.size();
			}

		};
	}

	static Model<ORSet<String>> orSet() {
		return new Model<>() {

			@Override
			public String name() {
				return "ORSet";
			}

			@Override
			public ORSet<String> initial() {
				return ORSet.empty();
			}

			@Override
			public ORSet<String> empty() {
				return ORSet.empty();
			}

			@Override
			public Mutation<ORSet<String>> operate(ORSet<String> state, String replica, long choice) {
				String element = element(state, choice);
				return adds(choice) ? state.add(replica, element) : state.remove(element);
			}

			@Override
			public String describe(ORSet<String> state, String replica, long choice) {
				return (adds(choice) ? "add(" : "remove(") + element(state, choice) + ")";
			}

			private boolean adds(long choice) {
				return pick(choice, 0, 10) < 6;
			}

			/** For a remove, half the time one of the elements present. */
			private String element(ORSet<String> state, long choice) {
				if (!adds(choice) && !state.isEmpty() && pick(choice, 2, 2) == 0) {
					List<String> present = new ArrayList<>(new TreeSet<>(state.elements()));
					return present.get(pick(choice, 3, present.size()));
				}
				return ELEMENTS[pick(choice, 1, ELEMENTS.length)];
			}

			@Override
			public Object observe(ORSet<String> state) {
				return new TreeSet<>(state.elements());
			}

			@Override
			public List<ORSet<String>> split(ORSet<String> state, int max) {
				return state.split(max);
			}

			@Override
			public int weight(ORSet<String> state) {
				return state.dots().values().stream().mapToInt(Set::size).sum();
			}

		};
	}

	static Model<LWWRegister<String>> lwwRegister() {
		return new Model<>() {

			@Override
			public String name() {
				return "LWWRegister";
			}

			@Override
			public LWWRegister<String> initial() {
				return new LWWRegister<>("v0", 0, "A");
			}

			@Override
			public LWWRegister<String> empty() {
				return null;
			}

			@Override
			public Mutation<LWWRegister<String>> operate(LWWRegister<String> state, String replica, long choice) {
				return state.set(replica, value(choice), timestamp(state, choice));
			}

			@Override
			public String describe(LWWRegister<String> state, String replica, long choice) {
				return "set(" + value(choice) + ", " + timestamp(state, choice) + ")";
			}

			private String value(long choice) {
				return "v" + pick(choice, 1, 4);
			}

			/** Half the time a small absolute timestamp (ties, writes that lose), else one that wins locally. */
			private long timestamp(LWWRegister<String> state, long choice) {
				long now = pick(choice, 3, 4);
				return (pick(choice, 2, 2) == 0) ? now : state.nextTimestamp(now);
			}

			@Override
			public Object observe(LWWRegister<String> state) {
				return state.value();
			}

		};
	}

	/** Maps of the keys {@link #KEYS} to values of {@code nested}, updated with {@code nested}'s operations. */
	static <V extends ReplicatedData<V>> Model<ORMap<String, V>> orMap(Model<V> nested) {
		return new Model<>() {

			@Override
			public String name() {
				return "ORMap<String, " + nested.name() + ">";
			}

			@Override
			public ORMap<String, V> initial() {
				return ORMap.empty();
			}

			@Override
			public ORMap<String, V> empty() {
				return ORMap.empty();
			}

			@Override
			public boolean prunable() {
				return true;
			}

			@Override
			public Mutation<ORMap<String, V>> operate(ORMap<String, V> state, String replica, long choice) {
				String key = key(state, choice);
				if (updates(choice)) {
					return state.update(replica, key, nested.initial(),
							(current) -> nested.operate(current, replica, PropertyChecks.mix(choice)));
				}
				return state.remove(key);
			}

			@Override
			public String describe(ORMap<String, V> state, String replica, long choice) {
				String key = key(state, choice);
				if (updates(choice)) {
					V current = state.get(key).orElse(nested.initial());
					return "update(" + key + ", " + nested.describe(current, replica, PropertyChecks.mix(choice)) + ")";
				}
				return "remove(" + key + ")";
			}

			private boolean updates(long choice) {
				return pick(choice, 0, 10) < 7;
			}

			private String key(ORMap<String, V> state, long choice) {
				if (!updates(choice) && !state.isEmpty() && pick(choice, 2, 2) == 0) {
					List<String> present = new ArrayList<>(new TreeSet<>(state.keys()));
					return present.get(pick(choice, 3, present.size()));
				}
				return KEYS[pick(choice, 1, KEYS.length)];
			}

			@Override
			public Object observe(ORMap<String, V> state) {
				Map<String, Object> observed = new TreeMap<>();
				for (String key : state.keys()) {
					Optional<V> value = state.get(key);
					observed.put(key, nested.observe(value.orElseThrow()));
				}
				return observed;
			}

			@Override
			public List<ORMap<String, V>> split(ORMap<String, V> state, int max) {
				return state.split(max);
			}

			@Override
			public int weight(ORMap<String, V> state) {
				return state.contributions().values().stream().mapToInt(Map::size).sum();
			}

		};
	}

}
