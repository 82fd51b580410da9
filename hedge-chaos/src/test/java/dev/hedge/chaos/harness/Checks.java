package dev.hedge.chaos.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.hedge.chaos.check.ActionInBeliefChecker;
import dev.hedge.chaos.check.Check;
import dev.hedge.chaos.check.CheckResult;
import dev.hedge.chaos.check.FenceAuditChecker;
import dev.hedge.chaos.check.HungOpsChecker;
import dev.hedge.chaos.check.LeadershipOverlapChecker;
import dev.hedge.chaos.check.LinearizabilityChecker;
import dev.hedge.chaos.check.SemaphoreChecker;
import dev.hedge.chaos.check.SetFullChecker;
import dev.hedge.chaos.history.Op;
import dev.hedge.chaos.history.Term;
import dev.hedge.chaos.member.Renewal;

/**
 * The checkers run after every scenario (reliability-plan.md §4.7), on the scenario's own operations (its keys) and
 * on the cumulative terms, effects, takeovers and holds of the whole run.
 */
final class Checks {

	static final String STALE_RENEWALS = "C3b stale renewals";

	static final String RECLAIM = "C6b permit reclaim";

	/**
	 * How long a killed holder's permit may stay granted: the holder's death is noticed after the member timeout
	 * (3 s) plus a heartbeat; when the holder was the leader, a new leader must first take over (L+G+P) and then wait
	 * out a member timeout before it reconciles. 10 s covers both with a second to spare.
	 */
	static final Duration RECLAIM_BUDGET = Duration.ofSeconds(10);

	/** Every op ends within its deadline (8 s) plus the 1 s the plan allows, plus 2 s of 2-core scheduling slack. */
	static final Duration OP_DEADLINE = Duration.ofSeconds(10);

	private Checks() {
	}

	static List<Check> safety(Histories histories) {
		List<Check> checks = new ArrayList<>();
		checks.add(Check.of(LeadershipOverlapChecker.NAME,
				() -> new LeadershipOverlapChecker().check(histories.terms())));
		checks.add(Check.of(ActionInBeliefChecker.NAME,
				() -> new ActionInBeliefChecker().check(histories.terms(), histories.effects())));
		checks.add(Check.of(FenceAuditChecker.NAME,
				() -> new FenceAuditChecker().check(histories.takeovers(), histories.effects())));
		checks.add(Check.of(STALE_RENEWALS, () -> staleRenewals(histories.renewals(), histories.terms())));
		checks.add(Check.of(SemaphoreChecker.NAME, () -> new SemaphoreChecker().check(histories.holds())));
		return checks;
	}

	static List<Check> workload(List<Op> kvOps, Map<String, List<String>> finalRead, List<Op> allOps) {
		List<Check> checks = new ArrayList<>();
		checks.add(Check.of(SetFullChecker.NAME, () -> new SetFullChecker().check(kvOps, finalRead)));
		checks.add(Check.of(LinearizabilityChecker.NAME,
				() -> LinearizabilityChecker.registers(Duration.ofSeconds(20)).check(kvOps)));
		checks.add(Check.of(HungOpsChecker.NAME,
				() -> new HungOpsChecker(OP_DEADLINE, Duration.ofSeconds(1)).check(allOps)));
		return checks;
	}

	/**
	 * A late renewal (completed after its member stopped leading in that epoch) that changed the lease row although
	 * another member had already started a later epoch before it was sent: the renewal was not fenced. Late renewals
	 * that changed nothing are counted as {@code lateRejected}: they prove the fenced path ran.
	 */
	static CheckResult staleRenewals(Collection<Renewal> renewals, Collection<Term> terms) {
		CheckResult.Builder result = CheckResult.builder(STALE_RENEWALS);
		long rejected = 0;
		long harmless = 0;
		long stale = 0;
		for (Renewal renewal : renewals) {
			if (!"RENEWED".equals(renewal.outcome())) {
				if ("LOST".equals(renewal.outcome())) {
					rejected++;
				}
				continue;
			}
			boolean superseded = terms.stream()
				.anyMatch((t) -> t.epoch() > renewal.epoch() && t.startNanos() < renewal.sentNanos());
			if (superseded) {
				stale++;
				result.violation(renewal.member() + " renewed epoch " + renewal.epoch() + " (sent at "
						+ renewal.sentNanos() + " ns) after a later epoch had started: the renewal changed the row");
			}
			else {
				harmless++;
			}
		}
		return result.count("late", renewals.size())
			.count("lateRejected", rejected)
			.count("lateOwnRow", harmless)
			.count("stale", stale)
			.build();
	}

	/**
	 * C6b: every permit held by a process that was killed must be reclaimed (or released) within
	 * {@link #RECLAIM_BUDGET} of the kill, measured from the kill to the reclaiming leader's decision.
	 */
	static CheckResult permitReclaim(Collection<dev.hedge.chaos.history.Hold> holds,
			Collection<dev.hedge.chaos.history.Effect> effects, Collection<dev.hedge.chaos.history.Fault> faults,
			long nowNanos) {
		CheckResult.Builder result = CheckResult.builder(RECLAIM);
		java.util.Map<String, dev.hedge.chaos.history.Effect> ends = new java.util.HashMap<>();
		for (dev.hedge.chaos.history.Effect effect : effects) {
			if (("sem-release".equals(effect.kind()) || "sem-reclaim".equals(effect.kind())) && effect.id() != null
					&& effect.id().startsWith(Histories.SEMAPHORE + "/")) {
				ends.merge(effect.id().substring(Histories.SEMAPHORE.length() + 1), effect,
						(a, b) -> (a.startNanos() <= b.startNanos()) ? a : b);
			}
		}
		long killed = 0;
		long max = 0;
		for (dev.hedge.chaos.history.Hold hold : holds) {
			if (hold.endNanos() != Long.MAX_VALUE || hold.startNanos() == 0) {
				continue;
			}
			java.util.Optional<dev.hedge.chaos.history.Fault> kill = faults.stream()
				.filter((f) -> "kill".equals(f.kind()) && f.target().equals(hold.member())
						&& f.startNanos() >= hold.startNanos())
				.min(java.util.Comparator.comparingLong(dev.hedge.chaos.history.Fault::startNanos));
			if (kill.isEmpty()) {
				continue;
			}
			killed++;
			dev.hedge.chaos.history.Effect end = ends.get(hold.permitId());
			long took = ((end != null) ? end.startNanos() : nowNanos) - kill.get().startNanos();
			max = Math.max(max, took);
			if (took > RECLAIM_BUDGET.toNanos()) {
				result.violation("permit " + hold.permitId() + " of " + hold.member() + " (killed at "
						+ kill.get().startNanos() + " ns) " + ((end != null) ? "was reclaimed only after "
								+ took / 1_000_000 + " ms by " + end.member() : "was never reclaimed"));
			}
		}
		return result.count("killedHolds", killed).count("maxReclaimMillis", max / 1_000_000).build();
	}

	static Set<String> kvFunctions() {
		return Set.of(Op.PUT, Op.GET, Op.GET_ALL);
	}

}
