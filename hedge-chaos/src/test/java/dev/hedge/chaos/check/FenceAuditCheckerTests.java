package dev.hedge.chaos.check;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.hedge.chaos.check.CheckResult.Status;
import dev.hedge.chaos.history.Effect;
import dev.hedge.chaos.history.Takeover;

import static org.assertj.core.api.Assertions.assertThat;

class FenceAuditCheckerTests {

	private final FenceAuditChecker checker = new FenceAuditChecker();

	private final List<Takeover> takeovers = List.of(new Takeover("b", 2, 2_000), new Takeover("a", 1, 1_000),
			new Takeover("c", 4, 4_000));

	private static Effect committed(long epoch, long commitMicros) {
		return new Effect("x", "put", epoch, 0, 1, commitMicros, "v" + commitMicros);
	}

	@Test
	void effectsCarryingTheCurrentEpochPass() {
		CheckResult result = this.checker.check(this.takeovers,
				List.of(committed(1, 1_500), committed(2, 2_001), committed(2, 3_999), committed(4, 10_000)));
		assertThat(result.status()).isEqualTo(Status.PASS);
		assertThat(result.count("takeovers")).isEqualTo(3);
		assertThat(result.count("audited")).isEqualTo(4);
	}

	@Test
	void emptyInputPasses() {
		assertThat(this.checker.check(List.of(), List.of()).ok()).isTrue();
		assertThat(this.checker.check(this.takeovers, List.of()).ok()).isTrue();
	}

	@Test
	void anEffectCommittedInTheSameMicrosecondAsItsTakeoverIsCurrent() {
		assertThat(this.checker.check(this.takeovers, List.of(committed(2, 2_000))).ok()).isTrue();
	}

	@Test
	void aStaleEffectCommittedAfterTheNextTakeoverIsFlagged() {
		CheckResult result = this.checker.check(this.takeovers, List.of(committed(1, 2_500)));
		assertThat(result.status()).isEqualTo(Status.FAIL);
		assertThat(result.count("fenceViolations")).isOne();
		assertThat(result.descriptions()).singleElement().asString().contains("(stale)", "epoch 2", "by b");
	}

	@Test
	void anEffectAheadOfItsTakeoverIsFlagged() {
		CheckResult result = this.checker.check(this.takeovers, List.of(committed(4, 3_999)));
		assertThat(result.descriptions()).singleElement().asString().contains("(ahead)");
	}

	@Test
	void anEffectBeforeAnyTakeoverIsFlagged() {
		CheckResult result = this.checker.check(this.takeovers, List.of(committed(1, 999)));
		assertThat(result.descriptions()).singleElement().asString().contains("before any takeover");
	}

	@Test
	void takeoversWhoseCommitsDoNotIncreaseWithTheEpochAreFlagged() {
		CheckResult result = this.checker.check(List.of(new Takeover("a", 1, 1_000), new Takeover("b", 2, 1_000),
				new Takeover("c", 3, 900)), List.of());
		assertThat(result.count("takeoverOrderViolations")).isEqualTo(2);
		assertThat(result.status()).isEqualTo(Status.FAIL);
	}

	@Test
	void anEpochTakenOverTwiceIsFlagged() {
		CheckResult result = this.checker.check(List.of(new Takeover("a", 1, 1_000), new Takeover("b", 1, 2_000)),
				List.of());
		assertThat(result.descriptions()).singleElement().asString().contains("taken over twice");
	}

	@Test
	void effectsWithoutCommitTimestampAreCountedButNotAudited() {
		CheckResult result = this.checker.check(this.takeovers, List.of(committed(9, 0), committed(2, 2_500)));
		assertThat(result.ok()).isTrue();
		assertThat(result.count("unaudited")).isOne();
		assertThat(result.count("audited")).isOne();
	}

}
