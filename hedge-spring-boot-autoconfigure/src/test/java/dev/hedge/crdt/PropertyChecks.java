package dev.hedge.crdt;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;

import dev.hedge.crdt.Scenario.Step;

/**
 * Runs a property on many generated scenarios. The cases come from one seed, printed with every run and replayed
 * with {@code -Dhedge.crdt.seed=N} (the number of cases per property is {@code -Dhedge.crdt.cases=N}, default
 * 2000). A failing scenario is shrunk (shortest failing prefix, then single steps dropped while it still fails) and
 * reported with a step-by-step trace of the smallest one.
 */
final class PropertyChecks {

	static final String SEED_PROPERTY = "hedge.crdt.seed";

	static final String CASES_PROPERTY = "hedge.crdt.cases";

	static final long SEED = Long.getLong(SEED_PROPERTY, new SplittableRandom().nextLong());

	static final int CASES = Integer.getInteger(CASES_PROPERTY, 2000);

	private static final int SHRINK_RUNS = 3000;

	private PropertyChecks() {
	}

	/** Checks {@code property} on {@link #CASES} scenarios; returns the number of cases run. */
	static <T extends ReplicatedData<T>> int forAll(Model<T> model, String property,
			BiConsumer<Model<T>, Scenario> check) {
		long testSeed = mix(SEED ^ mix((model.name() + "/" + property).hashCode()));
		long start = System.nanoTime();
		for (int i = 0; i < CASES; i++) {
			Scenario scenario = Scenario.generate(new SplittableRandom(mix(testSeed + i)), model.prunable());
			Throwable failure = failure(model, check, scenario);
			if (failure != null) {
				throw counterexample(model, property, i, scenario, check, failure);
			}
		}
		System.out.printf("[crdt] %s, %s: %d cases passed in %d ms (seed %d, replay with -D%s=%d)%n", model.name(),
				property, CASES, (System.nanoTime() - start) / 1_000_000, SEED, SEED_PROPERTY, SEED);
		return CASES;
	}

	private static <T extends ReplicatedData<T>> Throwable failure(Model<T> model,
			BiConsumer<Model<T>, Scenario> check, Scenario scenario) {
		try {
			check.accept(model, scenario);
			return null;
		}
		catch (AssertionError | RuntimeException ex) {
			return ex;
		}
	}

	private static <T extends ReplicatedData<T>> AssertionError counterexample(Model<T> model, String property,
			int index, Scenario scenario, BiConsumer<Model<T>, Scenario> check, Throwable original) {
		int[] runs = { 0 };
		Scenario smallest = shrink(scenario, (candidate) -> runs[0]++ < SHRINK_RUNS
				&& failure(model, check, candidate) != null);
		List<String> trace = new ArrayList<>();
		Throwable failure = failure(model, check, smallest.traced(trace));
		if (failure == null) {
			smallest = scenario;
			trace.clear();
			failure = failure(model, check, scenario.traced(trace));
		}
		if (failure == null) {
			failure = original;
		}
		String newline = System.lineSeparator();
		StringBuilder message = new StringBuilder();
		message.append(model.name()).append(", ").append(property).append(": case ").append(index)
			.append(" of seed ").append(SEED).append(" failed (replay with -D").append(SEED_PROPERTY).append('=')
			.append(SEED).append(')').append(newline);
		message.append("Smallest failing scenario (from ").append(scenario.steps().size()).append(" steps): ")
			.append(smallest).append(newline);
		message.append("Trace:");
		for (String line : trace) {
			message.append(newline).append("  ").append(line);
		}
		message.append(newline).append("Failure: ").append(failure);
		return new AssertionError(message.toString(), failure);
	}

	private static Scenario shrink(Scenario scenario, Fails fails) {
		Scenario smallest = scenario;
		List<Step> steps = scenario.steps();
		for (int length = 0; length < steps.size(); length++) {
			Scenario prefix = scenario.withSteps(steps.subList(0, length));
			if (fails.test(prefix)) {
				smallest = prefix;
				break;
			}
		}
		boolean shrunk = true;
		while (shrunk) {
			shrunk = false;
			for (int i = smallest.steps().size() - 1; i >= 0; i--) {
				List<Step> fewer = new ArrayList<>(smallest.steps());
				fewer.remove(i);
				Scenario candidate = smallest.withSteps(fewer);
				if (fails.test(candidate)) {
					smallest = candidate;
					shrunk = true;
				}
			}
		}
		return smallest;
	}

	static long mix(long value) {
		long z = value;
		z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
		z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
		return z ^ (z >>> 33);
	}

	private interface Fails {

		boolean test(Scenario scenario);

	}

}
