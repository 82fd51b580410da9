package dev.hedge.chaos.check;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

import dev.hedge.chaos.history.Term;

/**
 * C1: no two members may believe they lead at the same time. Each term counts over
 * {@code [startNanos, min(endNanos, deadlineNanos))} (a killed or paused member stops believing at its deadline);
 * terms are sorted by start and swept, and any two terms of different members that intersect are a violation, with
 * a tolerance of 0 ns (all members share the host's {@code CLOCK_MONOTONIC}). Terms that merely touch
 * ({@code end == start}) do not overlap; terms of the same member may.
 *
 * <p>Epochs must also strictly increase in order of start: a term whose epoch does not exceed every epoch that started
 * before it is a violation (terms with the same start are ordered by epoch, the favourable order).
 *
 * <p>Figures: {@code terms}, {@code generations} (distinct epochs), {@code unclosedTerms} (no logged end),
 * {@code emptyTerms} (deadline at or before start), {@code overlaps} and {@code epochOrderViolations}.
 *
 * <p>Stateless and thread-safe.
 */
public final class LeadershipOverlapChecker {

	/** The checker's name in results. */
	public static final String NAME = "C1 leadership overlap";

	/**
	 * Checks the terms of all members.
	 * @param terms every member's terms, in any order
	 * @return the result
	 */
	public CheckResult check(Collection<Term> terms) {
		List<Term> sorted = new ArrayList<>(terms);
		sorted.sort(Comparator.comparingLong(Term::startNanos).thenComparingLong(Term::epoch));
		CheckResult.Builder result = CheckResult.builder(NAME);
		long overlaps = sweep(sorted, result);
		long epochViolations = checkEpochOrder(sorted, result);
		return result.count("terms", sorted.size())
			.count("generations", sorted.stream().mapToLong(Term::epoch).distinct().count())
			.count("unclosedTerms", sorted.stream().filter((term) -> !term.closed()).count())
			.count("emptyTerms", sorted.stream().filter(LeadershipOverlapChecker::empty).count())
			.count("overlaps", overlaps)
			.count("epochOrderViolations", epochViolations)
			.build();
	}

	private static long sweep(List<Term> sorted, CheckResult.Builder result) {
		List<Term> active = new ArrayList<>();
		long overlaps = 0;
		for (Term term : sorted) {
			active.removeIf((open) -> open.effectiveEndNanos() <= term.startNanos());
			if (empty(term)) {
				continue;
			}
			for (Term open : active) {
				if (!Objects.equals(open.member(), term.member())) {
					overlaps++;
					long overlap = Math.min(open.effectiveEndNanos(), term.effectiveEndNanos()) - term.startNanos();
					result.violation(open.describe() + " overlaps " + term.describe() + " by "
							+ Durations.format(overlap));
				}
			}
			active.add(term);
		}
		return overlaps;
	}

	private static long checkEpochOrder(List<Term> sorted, CheckResult.Builder result) {
		long violations = 0;
		Term highest = null;
		for (Term term : sorted) {
			if (highest != null && term.epoch() <= highest.epoch()) {
				violations++;
				result.violation("epoch " + term.epoch() + " of " + term.describe() + " does not exceed epoch "
						+ highest.epoch() + " of " + highest.describe() + " which started earlier");
			}
			if (highest == null || term.epoch() > highest.epoch()) {
				highest = term;
			}
		}
		return violations;
	}

	private static boolean empty(Term term) {
		return term.effectiveEndNanos() <= term.startNanos();
	}

}
