package dev.hedge.chaos.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.hedge.chaos.check.Check;
import dev.hedge.chaos.check.CheckResult;
import dev.hedge.chaos.check.PermitSnapshots;
import dev.hedge.chaos.check.Report;
import dev.hedge.chaos.check.RowSnapshots;
import dev.hedge.chaos.history.Effect;
import dev.hedge.chaos.history.Fault;
import dev.hedge.chaos.history.Hold;
import dev.hedge.chaos.history.Op;
import dev.hedge.chaos.history.Term;

import static dev.hedge.chaos.check.RowSnapshots.row;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for C6b ({@link Checks#permitReclaim}): a killed holder's permit whose release no history recorded is judged
 * by the database's snapshot at the latest commit the histories prove happened before the budget ran out; and for the
 * checks of clusters of several groups: C6c (no leader touches another group's permits), the pooled C1 control, and
 * the group names on a group's checks.
 */
class ChecksTests {

	private static final long SECOND = 1_000_000_000L;

	private static final long NEVER = Long.MAX_VALUE;

	/** m1 holds p1 (granted at commit 1000 us) and is killed at 2 s: the budget runs out at 12 s. */
	private static final Hold HOLD = new Hold("m1", "p1", Histories.SEMAPHORE, 2, SECOND, NEVER, NEVER, 1_000, 0);

	private static final List<Fault> KILL = List.of(new Fault("kill", "m1", 2 * SECOND, NEVER, "m1"));

	/**
	 * Histories with two acknowledged puts: v1 (committed at 5000 us) acknowledged at 11 s, within the budget, and v2
	 * (committed at 9000 us) acknowledged at 13 s, after it. Both leader decisions precede the budget's end.
	 */
	private static Histories histories() {
		List<Effect> effects = List.of(new Effect("leader", "put", 1, 10 * SECOND, 10 * SECOND, 5_000, "v1"),
				new Effect("leader", "put", 1, 11 * SECOND, 11 * SECOND, 9_000, "v2"));
		List<Op> ops = List.of(put("v1", 10 * SECOND, 11 * SECOND), put("v2", 11 * SECOND, 13 * SECOND));
		return new Histories(ops, List.of(), List.of(), effects, List.of(HOLD), List.of(), List.of());
	}

	private static Op put(String value, long invoked, long returned) {
		return new Op("m2.1", 1, Op.PUT, "k", value, null, invoked, returned, Op.OK, null, 0);
	}

	private static CheckResult check(PermitSnapshots snapshots) {
		return Checks.permitReclaim(histories(), KILL, 30 * SECOND, snapshots);
	}

	@Test
	void aPermitTheSnapshotShowsReleasedWithinTheBudgetIsNotFlagged() {
		assertThat(check(PermitSnapshots.NONE).descriptions()).singleElement()
			.asString()
			.contains("permit p1 of m1", "was never reclaimed", "no database snapshot");
		CheckResult result = check(RowSnapshots.of(row("p1", 1_000, 4_000)));
		assertThat(result.ok()).isTrue();
		assertThat(result.count("releasedPerSnapshot")).isOne();
		assertThat(result.count("killedHolds")).isOne();
		assertThat(result.count("maxReclaimMillis")).isZero();
	}

	@Test
	void aPermitStillHeldAtTheLastCommitProvenBeforeTheBudgetRanOutIsFlagged() {
		// released at 7000 us: after v1's commit, the last one proven within the budget (v2's was acknowledged late)
		CheckResult result = check(RowSnapshots.of(row("p1", 1_000, 7_000)));
		assertThat(result.ok()).isFalse();
		assertThat(result.count("releasedPerSnapshot")).isZero();
		assertThat(result.descriptions()).singleElement()
			.asString()
			.contains("was never reclaimed", "the database still held it at commit 5000 us");
	}

	@Test
	void aSnapshotThatNeverShowsThePermitIsNotTakenForARelease() {
		CheckResult result = check(RowSnapshots.of(row("other", 1_000, NEVER)));
		assertThat(result.ok()).isFalse();
		assertThat(result.count("releasedPerSnapshot")).isZero();
	}

	@Test
	void anUnavailableSnapshotLeavesTheViolation() {
		assertThat(check(RowSnapshots.unavailable()).ok()).isFalse();
	}

	@Test
	void theLatestCommitProvenBeforeAnInstantComesFromAcknowledgedPutsAndLearntGrants() {
		assertThat(Checks.latestCommitBefore(histories(), 12 * SECOND)).isEqualTo(5_000);
		assertThat(Checks.latestCommitBefore(histories(), 13 * SECOND)).isEqualTo(9_000);
		assertThat(Checks.latestCommitBefore(histories(), 5 * SECOND)).isEqualTo(1_000);
		assertThat(Checks.latestCommitBefore(histories(), SECOND - 1)).isZero();
	}

	@Test
	void aLateReclaimFailsOnlyTheBudgetItExceeds() {
		Effect reclaim = new Effect("leader", "sem-reclaim", 2, 17 * SECOND, 17 * SECOND, 20_000,
				Histories.SEMAPHORE + "/p1");
		Histories histories = new Histories(List.of(), List.of(), List.of(), List.of(reclaim), List.of(HOLD),
				List.of(), List.of());
		CheckResult strict = Checks.permitReclaim(histories, KILL, 30 * SECOND, PermitSnapshots.NONE);
		assertThat(strict.ok()).isFalse();
		assertThat(strict.descriptions()).singleElement().asString().contains("reclaimed only after 15000 ms");
		CheckResult embedded = Checks.permitReclaim(histories, KILL, 30 * SECOND, PermitSnapshots.NONE,
				Checks.EMBEDDED_RECLAIM_BUDGET);
		assertThat(embedded.ok()).isTrue();
		assertThat(embedded.count("maxReclaimMillis")).isEqualTo(15_000);
		Histories never = new Histories(List.of(), List.of(), List.of(), List.of(), List.of(HOLD), List.of(),
				List.of());
		assertThat(Checks.permitReclaim(never, KILL, 30 * SECOND, PermitSnapshots.NONE,
				Checks.EMBEDDED_RECLAIM_BUDGET).descriptions()).singleElement().asString()
			.contains("was never reclaimed");
	}

	@Test
	void aPermitTouchedByAnotherGroupsLeaderIsFlagged() {
		Map<String, String> groups = Map.of("a1", "a", "a2", "a", "b1", "b", "b2", "b");
		List<Hold> holds = List.of(new Hold("a2", "pa", Histories.SEMAPHORE, 2, SECOND, 2 * SECOND, NEVER, 1, 2),
				new Hold("b2", "pb", Histories.SEMAPHORE, 2, SECOND, 2 * SECOND, NEVER, 3, 0));
		List<Effect> own = List.of(new Effect("a1", "sem-grant", 1, SECOND, SECOND, 1, "s1/pa"),
				new Effect("a1", "sem-release", 1, SECOND, SECOND, 2, "s1/pa"),
				new Effect("b1", "sem-grant", 1, SECOND, SECOND, 3, "s1/pb"),
				new Effect("b1", "sem-grant", 1, SECOND, SECOND, 4, "s1/unknown"));
		CheckResult clean = Checks.semaphoreIsolation((id) -> Optional.ofNullable(groups.get(id)), own, holds);
		assertThat(clean.ok()).isTrue();
		assertThat(clean.count("semaphoreEffects")).isEqualTo(4);
		assertThat(clean.count("unmatched")).isOne();
		List<Effect> crossed = new ArrayList<>(own);
		crossed.add(new Effect("a1", "sem-reclaim", 2, 3 * SECOND, 3 * SECOND, 5, "s1/pb"));
		CheckResult result = Checks.semaphoreIsolation((id) -> Optional.ofNullable(groups.get(id)), crossed, holds);
		assertThat(result.ok()).isFalse();
		assertThat(result.count("crossGroup")).isOne();
		assertThat(result.descriptions()).singleElement().asString().contains("a1 sem-reclaim", "b2 of b");
	}

	@Test
	void thePooledControlFiresOnlyWhenTheGroupsLeadAtOnce() {
		List<Term> sideBySide = List.of(new Term("a1", 1, SECOND, 5 * SECOND, NEVER, null),
				new Term("b1", 1, 2 * SECOND, 6 * SECOND, NEVER, null));
		CheckResult fired = Checks.pooledControl(sideBySide, List.of());
		assertThat(fired.ok()).isTrue();
		assertThat(fired.count("pooledOverlaps")).isOne();
		List<Term> oneAfterTheOther = List.of(new Term("a1", 1, SECOND, 2 * SECOND, NEVER, null),
				new Term("b1", 2, 2 * SECOND, 3 * SECOND, NEVER, null));
		assertThat(Checks.pooledControl(oneAfterTheOther, List.of()).ok()).isFalse();
	}

	@Test
	void aGroupsChecksCarryItsName() {
		List<Check> checks = Checks.forGroup("chaos-b", List.of(Check.of("C9 x",
				() -> CheckResult.builder("C9 x").count("n", 3).violation("bad").build())));
		CheckResult result = Report.run(checks).results().get(0);
		assertThat(result.name()).isEqualTo("C9 x [chaos-b]");
		assertThat(result.count("n")).isEqualTo(3);
		assertThat(result.ok()).isFalse();
	}

}
