package dev.hedge.chaos.check;

import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

import dev.hedge.chaos.history.Op;

/**
 * C9 (hung operations): every operation must end, ok, fail or info, within its deadline plus some slack. An operation
 * that never returned ({@code returnNanos == Long.MAX_VALUE}) or took longer than {@code opDeadline + slack} is a
 * violation. Violations are described worst first, so the first description is always the worst operation.
 *
 * <p>Figures: {@code ops}, {@code hung} (never returned), {@code late}, {@code maxLatencyMillis} (over the operations
 * that returned).
 *
 * <p>Stateless and thread-safe.
 */
public final class HungOpsChecker {

	/** The checker's name in results. */
	public static final String NAME = "C9 hung ops";

	private final Duration opDeadline;

	private final Duration slack;

	/**
	 * Creates a checker.
	 * @param opDeadline the deadline every operation is given
	 * @param slack how much later than the deadline an operation may still end (for example one second)
	 */
	public HungOpsChecker(Duration opDeadline, Duration slack) {
		this.opDeadline = opDeadline;
		this.slack = slack;
	}

	/**
	 * Checks the operations.
	 * @param ops every member's operations, in any order
	 * @return the result
	 */
	public CheckResult check(Collection<Op> ops) {
		long limit = this.opDeadline.plus(this.slack).toNanos();
		List<Op> violating = ops.stream()
			.filter((op) -> latency(op) > limit)
			.sorted(Comparator.comparingLong(HungOpsChecker::latency).reversed())
			.toList();
		CheckResult.Builder result = CheckResult.builder(NAME);
		for (Op op : violating) {
			result.violation(op.returned()
					? op.describe() + " took " + Durations.format(latency(op)) + ", over the " + this.opDeadline
							+ " deadline + " + this.slack + " slack"
					: op.describe() + " never returned");
		}
		long hung = violating.stream().filter((op) -> !op.returned()).count();
		long maxLatency = ops.stream().filter(Op::returned).mapToLong(HungOpsChecker::latency).max().orElse(0);
		return result.count("ops", ops.size())
			.count("hung", hung)
			.count("late", violating.size() - hung)
			.count("maxLatencyMillis", maxLatency / 1_000_000)
			.build();
	}

	private static long latency(Op op) {
		return op.returned() ? op.returnNanos() - op.invokeNanos() : Long.MAX_VALUE;
	}

}
