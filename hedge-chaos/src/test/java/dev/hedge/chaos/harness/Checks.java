package dev.hedge.chaos.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import dev.hedge.chaos.check.ActionInBeliefChecker;
import dev.hedge.chaos.check.Check;
import dev.hedge.chaos.check.CheckResult;
import dev.hedge.chaos.check.FenceAuditChecker;
import dev.hedge.chaos.check.HungOpsChecker;
import dev.hedge.chaos.check.LeadershipOverlapChecker;
import dev.hedge.chaos.check.LinearizabilityChecker;
import dev.hedge.chaos.check.PermitSnapshots;
import dev.hedge.chaos.check.SemaphoreChecker;
import dev.hedge.chaos.check.SetFullChecker;
import dev.hedge.chaos.history.Effect;
import dev.hedge.chaos.history.Fault;
import dev.hedge.chaos.history.Hold;
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

	static final String ISOLATION = "C6c semaphore groups";

	static final String POOLED_CONTROL = "C1 control: groups pooled";

	/**
	 * How long a killed holder's permit may stay granted: the holder's death is noticed after the member timeout
	 * (3 s) plus a heartbeat; when the holder was the leader, a new leader must first take over (L+G+P) and then wait
	 * out a member timeout before it reconciles. 10 s covers both with a second to spare.
	 */
	static final Duration RECLAIM_BUDGET = Duration.ofSeconds(10);

	/**
	 * The reclaim budget on the embedded store (S10): when the process serving the database file dies too, every
	 * member's store calls wait until another process has taken the file over (up to 11.5 s seen), which comes on top
	 * of {@link #RECLAIM_BUDGET}. A permit never reclaimed still fails.
	 */
	static final Duration EMBEDDED_RECLAIM_BUDGET = Duration.ofSeconds(25);

	/** Every op ends within its deadline (8 s) plus the 1 s the plan allows, plus 2 s of 2-core scheduling slack. */
	static final Duration OP_DEADLINE = Duration.ofSeconds(10);

	private Checks() {
	}

	/**
	 * The history checks C1 to C3b and C6; C6 confirms an excess in its commit replay against the database's
	 * snapshots, so the checks must run while the cluster is open.
	 */
	static List<Check> safety(Histories histories, PermitSnapshots snapshots) {
		List<Check> checks = new ArrayList<>();
		checks.add(Check.of(LeadershipOverlapChecker.NAME,
				() -> new LeadershipOverlapChecker().check(histories.terms())));
		checks.add(Check.of(ActionInBeliefChecker.NAME,
				() -> new ActionInBeliefChecker().check(histories.terms(), histories.effects())));
		checks.add(Check.of(FenceAuditChecker.NAME,
				() -> new FenceAuditChecker().check(histories.takeovers(), histories.effects())));
		checks.add(Check.of(STALE_RENEWALS, () -> staleRenewals(histories.renewals(), histories.terms())));
		checks.add(Check.of(SemaphoreChecker.NAME, () -> new SemaphoreChecker(snapshots).check(histories.holds())));
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
	 * {@link #RECLAIM_BUDGET} of the kill, measured from the kill to the reclaiming leader's decision. The histories
	 * can miss a release or reclaim that committed (its leader was killed, or its store call ended "outcome unknown",
	 * after the commit), so a permit they show ended late or never is put to the database: if its row is present in
	 * the snapshot at its grant commit (the read finds it at all) and absent from the snapshot at the latest commit
	 * the histories prove happened before the budget ran out ({@link #latestCommitBefore}), it was released in time
	 * and is counted as {@code releasedPerSnapshot}, not as a violation (nor in {@code maxReclaimMillis}).
	 */
	static CheckResult permitReclaim(Histories histories, Collection<Fault> faults, long nowNanos,
			PermitSnapshots snapshots) {
		return permitReclaim(histories, faults, nowNanos, snapshots, RECLAIM_BUDGET);
	}

	/** C6b with another budget than {@link #RECLAIM_BUDGET}. */
	static CheckResult permitReclaim(Histories histories, Collection<Fault> faults, long nowNanos,
			PermitSnapshots snapshots, Duration budget) {
		CheckResult.Builder result = CheckResult.builder(RECLAIM);
		Map<String, Effect> ends = new HashMap<>();
		for (Effect effect : histories.effects()) {
			if (("sem-release".equals(effect.kind()) || "sem-reclaim".equals(effect.kind())) && effect.id() != null
					&& effect.id().startsWith(Histories.SEMAPHORE + "/")) {
				ends.merge(effect.id().substring(Histories.SEMAPHORE.length() + 1), effect,
						(a, b) -> (a.startNanos() <= b.startNanos()) ? a : b);
			}
		}
		long killed = 0;
		long max = 0;
		long releasedPerSnapshot = 0;
		for (Hold hold : histories.holds()) {
			if (hold.endNanos() != Long.MAX_VALUE || hold.startNanos() == 0) {
				continue;
			}
			Optional<Fault> kill = faults.stream()
				.filter((f) -> "kill".equals(f.kind()) && f.target().equals(hold.member())
						&& f.startNanos() >= hold.startNanos())
				.min(Comparator.comparingLong(Fault::startNanos));
			if (kill.isEmpty()) {
				continue;
			}
			killed++;
			Effect end = ends.get(hold.permitId());
			long took = ((end != null) ? end.startNanos() : nowNanos) - kill.get().startNanos();
			if (took > budget.toNanos()) {
				long budgetEnd = Math.min(kill.get().startNanos() + budget.toNanos(), nowNanos);
				long commit = latestCommitBefore(histories, budgetEnd);
				Optional<Boolean> held = heldAt(hold, commit, snapshots);
				if (held.isPresent() && !held.get()) {
					releasedPerSnapshot++;
					continue;
				}
				result.violation("permit " + hold.permitId() + " of " + hold.member() + " (killed at "
						+ kill.get().startNanos() + " ns) " + ((end != null) ? "was reclaimed only after "
								+ took / 1_000_000 + " ms by " + end.member() : "was never reclaimed")
						+ held.map((h) -> "; the database still held it at commit " + commit + " us")
							.orElse("; no database snapshot confirms it was released in time"));
			}
			max = Math.max(max, took);
		}
		return result.count("killedHolds", killed)
			.count("maxReclaimMillis", max / 1_000_000)
			.count("releasedPerSnapshot", releasedPerSnapshot)
			.build();
	}

	/**
	 * Whether the database held a permit at a commit, checked against its grant commit: empty unless the snapshot at
	 * the grant commit shows the row (so a read that cannot find the row at all is never taken for a release).
	 */
	private static Optional<Boolean> heldAt(Hold hold, long commitMicros, PermitSnapshots snapshots) {
		long grant = hold.grantTimestampMicros();
		String semaphore = String.valueOf(hold.semaphore());
		if (grant == 0 || commitMicros < grant
				|| !snapshots.heldAt(semaphore, hold.permitId(), grant).orElse(false)) {
			return Optional.empty();
		}
		return snapshots.heldAt(semaphore, hold.permitId(), commitMicros);
	}

	/**
	 * The latest commit timestamp the histories prove happened no later than {@code nanos}: the grant of a permit
	 * its holder had learnt of by then, or an audited put whose writer had been acknowledged by then. Leader-side
	 * effects alone prove nothing here: an effect's time is the leader's decision, before its commit.
	 * @return the commit timestamp in microseconds, {@code 0} if there is none
	 */
	static long latestCommitBefore(Histories histories, long nanos) {
		long latest = 0;
		for (Hold hold : histories.holds()) {
			if (hold.startNanos() > 0 && hold.startNanos() <= nanos) {
				latest = Math.max(latest, hold.grantTimestampMicros());
			}
		}
		Map<String, Long> puts = new HashMap<>();
		for (Effect effect : histories.effects()) {
			if ("put".equals(effect.kind()) && effect.commitTimestampMicros() > 0 && effect.id() != null) {
				puts.merge(effect.id(), effect.commitTimestampMicros(), Math::min);
			}
		}
		for (Op op : histories.ops()) {
			if (Op.PUT.equals(op.f()) && Op.OK.equals(op.type()) && op.returnNanos() <= nanos) {
				latest = Math.max(latest, puts.getOrDefault(op.value(), 0L));
			}
		}
		return latest;
	}

	/**
	 * The checks of one group of a cluster of several, named {@code "<check> [<group>]"}, so one report holds every
	 * group's.
	 */
	static List<Check> forGroup(String group, List<Check> checks) {
		return checks.stream().map((check) -> {
			String name = check.name() + " [" + group + "]";
			return Check.of(name, () -> {
				CheckResult result = check.run();
				return (result == null) ? null : new CheckResult(name, result.status(), result.counts(),
						result.violationCount(), result.descriptions());
			});
		}).toList();
	}

	/**
	 * C6c: a leader touches its own group's permits only. Every semaphore grant, release or reclaim a member committed
	 * ({@code sem-grant}, {@code sem-release}, {@code sem-reclaim} effects, id {@code <semaphore>/<permit id>}) must
	 * concern a permit that a member of the same group held (per the holders' histories; permit ids are unique). Two
	 * applications sharing one embedded directory once reclaimed each other's permits: one group's leader took the
	 * other's holders for dead members of its own. Effects of permits no holder recorded are counted as
	 * {@code unmatched}.
	 * @param groupOf a member id's group, empty for an unknown id
	 * @param effects every group's effects
	 * @param holds every group's holds
	 */
	static CheckResult semaphoreIsolation(Function<String, Optional<String>> groupOf, Collection<Effect> effects,
			Collection<Hold> holds) {
		CheckResult.Builder result = CheckResult.builder(ISOLATION);
		Map<String, String> holders = new HashMap<>();
		for (Hold hold : holds) {
			groupOf.apply(hold.member()).ifPresent((group) -> holders.putIfAbsent(hold.permitId(), hold.member()));
		}
		long checked = 0;
		long unmatched = 0;
		long crossGroup = 0;
		for (Effect effect : effects) {
			if (!effect.kind().startsWith("sem-") || effect.id() == null || effect.id().indexOf('/') < 0) {
				continue;
			}
			checked++;
			String permit = effect.id().substring(effect.id().lastIndexOf('/') + 1);
			String holder = holders.get(permit);
			Optional<String> actor = groupOf.apply(effect.member());
			if (holder == null || actor.isEmpty()) {
				unmatched++;
				continue;
			}
			String holderGroup = groupOf.apply(holder).orElseThrow();
			if (!holderGroup.equals(actor.get())) {
				crossGroup++;
				result.violation(effect.describe() + " by a member of " + actor.get() + " touched the permit of "
						+ holder + " of " + holderGroup);
			}
		}
		return result.count("semaphoreEffects", checked)
			.count("unmatched", unmatched)
			.count("crossGroup", crossGroup)
			.build();
	}

	/**
	 * A negative control of the per-group checks: the overlap checker C1 run on every group's terms pooled, as if one
	 * group's members had been given the other's name, must find overlapping leaders (each group has its own leader
	 * all along). It passes when C1 fires; if it does not, C1 would be blind to two leaders at once, or the groups did
	 * not run side by side. Also reports the most holders of each semaphore name at once over the groups pooled (more
	 * than a limit shows the groups' semaphores of that name are separate).
	 * @param terms every group's terms
	 * @param holds every group's holds
	 */
	static CheckResult pooledControl(Collection<Term> terms, Collection<Hold> holds) {
		CheckResult pooled = new LeadershipOverlapChecker().check(terms);
		CheckResult semaphores = new SemaphoreChecker().check(holds);
		CheckResult.Builder result = CheckResult.builder(POOLED_CONTROL)
			.count("pooledOverlaps", pooled.count("overlaps"))
			.count("pooledMaxHolders", semaphores.count("maxConcurrency"));
		if (pooled.count("overlaps") == 0) {
			result.violation("C1 found no overlapping leaders over every group's terms pooled (" + pooled.summary()
					+ "): it would not see two leaders at once");
		}
		return result.build();
	}

	static Set<String> kvFunctions() {
		return Set.of(Op.PUT, Op.GET, Op.GET_ALL);
	}

}
