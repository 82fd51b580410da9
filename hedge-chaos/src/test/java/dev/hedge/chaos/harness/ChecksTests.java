package dev.hedge.chaos.harness;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.hedge.chaos.check.CheckResult;
import dev.hedge.chaos.check.PermitSnapshots;
import dev.hedge.chaos.check.RowSnapshots;
import dev.hedge.chaos.history.Effect;
import dev.hedge.chaos.history.Fault;
import dev.hedge.chaos.history.Hold;
import dev.hedge.chaos.history.Op;

import static dev.hedge.chaos.check.RowSnapshots.row;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for C6b ({@link Checks#permitReclaim}): a killed holder's permit whose release no history recorded is judged
 * by the database's snapshot at the latest commit the histories prove happened before the budget ran out.
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

}
