package dev.hedge.chaos.check;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.hedge.chaos.check.CheckResult.Status;
import dev.hedge.chaos.history.Op;

import static org.assertj.core.api.Assertions.assertThat;

class HungOpsCheckerTests {

	private static final long MS = 1_000_000L;

	private final HungOpsChecker checker = new HungOpsChecker(Duration.ofSeconds(2), Duration.ofSeconds(1));

	private static Op op(long opId, long invokeMillis, long returnNanos, String type) {
		return Op.put("m1", opId, "k", "v" + opId, invokeMillis * MS, returnNanos, type);
	}

	@Test
	void operationsEndingWithinDeadlinePlusSlackPass() {
		CheckResult result = this.checker.check(List.of(op(1, 0, 10 * MS, Op.OK), op(2, 0, 2_500 * MS, Op.INFO),
				op(3, 100, 3_100 * MS, Op.FAIL)));
		assertThat(result.status()).isEqualTo(Status.PASS);
		assertThat(result.count("ops")).isEqualTo(3);
		assertThat(result.count("maxLatencyMillis")).isEqualTo(3_000);
	}

	@Test
	void emptyInputPasses() {
		assertThat(this.checker.check(List.of()).ok()).isTrue();
	}

	@Test
	void anOperationThatNeverReturnedIsHung() {
		CheckResult result = this.checker.check(List.of(op(1, 0, 10 * MS, Op.OK), op(2, 5, Long.MAX_VALUE, Op.INFO)));
		assertThat(result.status()).isEqualTo(Status.FAIL);
		assertThat(result.count("hung")).isOne();
		assertThat(result.descriptions()).singleElement().asString().contains("m1#2", "never returned");
	}

	@Test
	void anOperationOverDeadlinePlusSlackIsLate() {
		CheckResult result = this.checker.check(List.of(op(1, 0, 3_000 * MS + 1, Op.INFO)));
		assertThat(result.count("late")).isOne();
		assertThat(result.descriptions()).singleElement().asString().contains("took 3.000 s", "PT2S deadline");
	}

	@Test
	void theWorstOperationIsDescribedFirst() {
		CheckResult result = this.checker.check(List.of(op(1, 0, 4_000 * MS, Op.OK), op(2, 0, 9_000 * MS, Op.INFO),
				op(3, 0, Long.MAX_VALUE, Op.INFO), op(4, 0, 5_000 * MS, Op.OK)));
		assertThat(result.violationCount()).isEqualTo(4);
		assertThat(result.descriptions()).hasSize(4);
		assertThat(result.descriptions().get(0)).contains("m1#3", "never returned");
		assertThat(result.descriptions().get(1)).contains("m1#2", "took 9.000 s");
		assertThat(result.descriptions().get(3)).contains("m1#1");
		assertThat(result.count("maxLatencyMillis")).isEqualTo(9_000);
	}

}
