package dev.hedge.chaos.check;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.hedge.chaos.history.Effect;
import dev.hedge.chaos.history.Term;

/**
 * C2: every leader-side action must happen while its member believes it leads, at the epoch the action carries. An
 * {@link Effect} {@code [startNanos, endNanos]} must lie inside {@code [startNanos, min(endNanos, deadlineNanos)]} of
 * a {@link Term} of the same member and epoch.
 *
 * <p>An effect that never finished ({@code endNanos == Long.MAX_VALUE}, its member was killed during the action) is
 * checked by its start only and counted as {@code unfinished}; whether it committed is the fence audit's business
 * ({@link FenceAuditChecker}).
 *
 * <p>Figures: {@code effects}, {@code unfinished} and {@code outside} (the violations).
 *
 * <p>Stateless and thread-safe.
 */
public final class ActionInBeliefChecker {

	/** The checker's name in results. */
	public static final String NAME = "C2 action in belief";

	/**
	 * Checks the effects against the terms.
	 * @param terms every member's terms, in any order
	 * @param effects every member's effects, in any order
	 * @return the result
	 */
	public CheckResult check(Collection<Term> terms, Collection<Effect> effects) {
		Map<String, List<Term>> byMemberAndEpoch = terms.stream()
			.collect(Collectors.groupingBy((term) -> key(term.member(), term.epoch())));
		Map<Long, String> epochOwners = new HashMap<>();
		terms.forEach((term) -> epochOwners.putIfAbsent(term.epoch(), term.member()));
		CheckResult.Builder result = CheckResult.builder(NAME);
		long unfinished = 0;
		long outside = 0;
		for (Effect effect : effects) {
			boolean finished = effect.endNanos() != Long.MAX_VALUE;
			if (!finished) {
				unfinished++;
			}
			List<Term> candidates = byMemberAndEpoch.getOrDefault(key(effect.member(), effect.epoch()), List.of());
			if (candidates.stream().anyMatch((term) -> inside(effect, term, finished))) {
				continue;
			}
			outside++;
			if (candidates.isEmpty()) {
				String owner = epochOwners.get(effect.epoch());
				result.violation(effect.describe() + ": " + effect.member() + " has no term at epoch " + effect.epoch()
						+ ((owner != null) ? " (the epoch belongs to " + owner + ")" : ""));
			}
			else {
				result.violation(effect.describe() + " lies outside its belief " + candidates.get(0).describe()
						+ describeMiss(effect, candidates.get(0)));
			}
		}
		return result.count("effects", effects.size())
			.count("unfinished", unfinished)
			.count("outside", outside)
			.build();
	}

	private static boolean inside(Effect effect, Term term, boolean finished) {
		long end = term.effectiveEndNanos();
		if (effect.startNanos() < term.startNanos()) {
			return false;
		}
		return finished ? effect.endNanos() <= end : effect.startNanos() < end;
	}

	private static String describeMiss(Effect effect, Term term) {
		if (effect.startNanos() < term.startNanos()) {
			return ": starts " + Durations.format(term.startNanos() - effect.startNanos()) + " before the term";
		}
		boolean finished = effect.endNanos() != Long.MAX_VALUE;
		long end = finished ? effect.endNanos() : effect.startNanos();
		return (finished ? ": ends " : ": starts ") + Durations.format(end - term.effectiveEndNanos())
				+ " after the " + ((term.deadlineNanos() < term.endNanos()) ? "deadline" : "end of the term");
	}

	private static String key(String member, long epoch) {
		return member + '\u0000' + epoch;
	}

}
