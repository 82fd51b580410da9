package dev.hedge.chaos.check;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

import dev.hedge.chaos.history.Effect;
import dev.hedge.chaos.history.Takeover;

/**
 * C3: the clock-free fencing audit, on database commit timestamps only. Takeover commit timestamps must strictly
 * increase with the epoch, and every effect committed at {@code ts} must carry the epoch of the latest takeover
 * committed at or before {@code ts}: {@code epoch = max{takeover.epoch : takeover.commit <= ts}}. Spanner's external
 * consistency makes this exact.
 *
 * <p>Effects without commit timestamp ({@code 0}) cannot be audited and are counted as {@code unaudited}.
 *
 * <p>Figures: {@code takeovers}, {@code effects}, {@code audited}, {@code unaudited}, {@code takeoverOrderViolations}
 * and {@code fenceViolations}.
 *
 * <p>Stateless and thread-safe.
 */
public final class FenceAuditChecker {

	/** The checker's name in results. */
	public static final String NAME = "C3 fence audit";

	/**
	 * Audits the effects against the takeovers.
	 * @param takeovers the leader history, in any order
	 * @param effects the effects, in any order
	 * @return the result
	 */
	public CheckResult check(Collection<Takeover> takeovers, Collection<Effect> effects) {
		CheckResult.Builder result = CheckResult.builder(NAME);
		List<Takeover> byEpoch = new ArrayList<>(takeovers);
		byEpoch.sort(Comparator.comparingLong(Takeover::epoch).thenComparingLong(Takeover::commitTimestampMicros));
		long orderViolations = checkTakeoverOrder(byEpoch, result);
		List<Takeover> byCommit = new ArrayList<>(takeovers);
		byCommit.sort(Comparator.comparingLong(Takeover::commitTimestampMicros).thenComparingLong(Takeover::epoch));
		long[] commits = byCommit.stream().mapToLong(Takeover::commitTimestampMicros).toArray();
		long audited = 0;
		long fenceViolations = 0;
		for (Effect effect : effects) {
			if (effect.commitTimestampMicros() == 0) {
				continue;
			}
			audited++;
			int index = lastAtOrBefore(commits, effect.commitTimestampMicros());
			if (index < 0) {
				fenceViolations++;
				result.violation(effect.describe() + " committed before any takeover");
				continue;
			}
			Takeover current = byCommit.get(index);
			if (current.epoch() != effect.epoch()) {
				fenceViolations++;
				result.violation(effect.describe() + " carries epoch " + effect.epoch() + " but epoch "
						+ current.epoch() + ((effect.epoch() < current.epoch()) ? " (stale)" : " (ahead)")
						+ " was current: taken over at " + current.commitTimestampMicros() + " us"
						+ ((current.member() != null) ? " by " + current.member() : ""));
			}
		}
		return result.count("takeovers", byEpoch.size())
			.count("effects", effects.size())
			.count("audited", audited)
			.count("unaudited", effects.size() - audited)
			.count("takeoverOrderViolations", orderViolations)
			.count("fenceViolations", fenceViolations)
			.build();
	}

	private static long checkTakeoverOrder(List<Takeover> byEpoch, CheckResult.Builder result) {
		long violations = 0;
		for (int i = 1; i < byEpoch.size(); i++) {
			Takeover previous = byEpoch.get(i - 1);
			Takeover next = byEpoch.get(i);
			if (next.epoch() == previous.epoch()) {
				violations++;
				result.violation("epoch " + next.epoch() + " was taken over twice, at "
						+ previous.commitTimestampMicros() + " us and " + next.commitTimestampMicros() + " us");
			}
			else if (next.commitTimestampMicros() <= previous.commitTimestampMicros()) {
				violations++;
				result.violation("takeover of epoch " + next.epoch() + " committed at " + next.commitTimestampMicros()
						+ " us, not after epoch " + previous.epoch() + " at " + previous.commitTimestampMicros()
						+ " us");
			}
		}
		return violations;
	}

	private static int lastAtOrBefore(long[] sorted, long value) {
		int low = 0;
		int high = sorted.length - 1;
		int found = -1;
		while (low <= high) {
			int middle = (low + high) >>> 1;
			if (sorted[middle] <= value) {
				found = middle;
				low = middle + 1;
			}
			else {
				high = middle - 1;
			}
		}
		return found;
	}

}
