package dev.hedge.chaos.check;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import dev.hedge.chaos.check.LinearizationSearch.Outcome;
import dev.hedge.chaos.check.LinearizationSearch.Stuck;
import dev.hedge.chaos.history.Op;

/**
 * C5: whether a history is linearizable with respect to a {@link Model}, porcupine style: the model partitions the
 * history (per key for a register, P-compositionality) and each partition is searched separately with Wing &amp;
 * Gong's algorithm and Lowe's memoisation, under a time budget. Operations of unknown outcome
 * ({@link Op#outcomeUnknown()}) are treated as returning at +&infin;: they may take effect at any time after their
 * invocation, or never. Operations with identical timestamps are concurrent.
 *
 * <p>The result FAILs if any partition has no legal order, is UNKNOWN if none failed but some ran out of budget
 * (CI should treat UNKNOWN as a failure), and PASSes otherwise. A completed operation that returns before it was
 * invoked is malformed and is a violation (it is left out of the search). Keep partitions to about 2,000 operations
 * at concurrency 8 or less.
 *
 * <p>Figures: {@code partitions}, {@code ops} (searched, after the model's partitioning), {@code malformedOps},
 * {@code linearizable}, {@code illegal}, {@code unknown}, {@code maxCacheEntries}.
 *
 * <p>Thread-safe when its model is: each call searches on the calling thread with its own state.
 *
 * @param <S> the model's state type
 */
public final class LinearizabilityChecker<S> {

	/** The checker's name in results. */
	public static final String NAME = "C5 linearizability";

	private final Model<S> model;

	private final Duration budgetPerPartition;

	/**
	 * Creates a checker.
	 * @param model the sequential specification
	 * @param budgetPerPartition how long the search of one partition may take before it is UNKNOWN
	 */
	public LinearizabilityChecker(Model<S> model, Duration budgetPerPartition) {
		this.model = model;
		this.budgetPerPartition = budgetPerPartition;
	}

	/**
	 * A checker of per-key registers ({@link RegisterModel}).
	 * @param budgetPerKey how long the search of one key may take before it is UNKNOWN
	 * @return the checker
	 */
	public static LinearizabilityChecker<RegisterModel.Register> registers(Duration budgetPerKey) {
		return new LinearizabilityChecker<>(new RegisterModel(), budgetPerKey);
	}

	/**
	 * Checks a history.
	 * @param history every member's operations, in any order
	 * @return the result
	 */
	public CheckResult check(Collection<Op> history) {
		CheckResult.Builder result = CheckResult.builder(NAME);
		Map<String, List<Op>> partitions = this.model.partition(history);
		long ops = 0;
		long malformed = 0;
		long linearizable = 0;
		long illegal = 0;
		long unknown = 0;
		long maxCache = 0;
		for (Map.Entry<String, List<Op>> partition : partitions.entrySet()) {
			List<Op> wellFormed = new ArrayList<>(partition.getValue().size());
			for (Op op : partition.getValue()) {
				if (!op.outcomeUnknown() && op.returnNanos() < op.invokeNanos()) {
					malformed++;
					result.violation("malformed: " + op.describe() + " returns before it is invoked");
				}
				else {
					wellFormed.add(op);
				}
			}
			ops += wellFormed.size();
			long deadline = System.nanoTime() + this.budgetPerPartition.toNanos();
			Outcome<S> outcome = new LinearizationSearch<>(this.model, wellFormed).run(deadline);
			maxCache = Math.max(maxCache, outcome.cacheSize());
			switch (outcome.verdict()) {
				case LINEARIZABLE -> linearizable++;
				case ILLEGAL -> {
					illegal++;
					result.violation(partition.getKey() + ": not linearizable (" + wellFormed.size() + " ops)"
							+ describe(outcome.deepest()));
				}
				case UNKNOWN -> {
					unknown++;
					result.unknown(partition.getKey() + ": undecided after the " + this.budgetPerPartition
							+ " budget (" + wellFormed.size() + " ops, " + outcome.steps() + " steps)");
				}
			}
		}
		return result.count("partitions", partitions.size())
			.count("ops", ops)
			.count("malformedOps", malformed)
			.count("linearizable", linearizable)
			.count("illegal", illegal)
			.count("unknown", unknown)
			.count("maxCacheEntries", maxCache)
			.build();
	}

	private String describe(Stuck<S> stuck) {
		if (stuck == null) {
			return "";
		}
		return "; the longest legal prefix has " + stuck.linearized() + " ops, after which " + stuck.op().describe()
				+ " cannot be placed in state " + this.model.describe(stuck.state());
	}

}
