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

	static Set<String> kvFunctions() {
		return Set.of(Op.PUT, Op.GET, Op.GET_ALL);
	}

}
