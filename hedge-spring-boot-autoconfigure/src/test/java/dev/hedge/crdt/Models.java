package dev.hedge.crdt;

/** The {@link Model}s of the types, over small domains so that operations collide often. */
final class Models {

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

}
