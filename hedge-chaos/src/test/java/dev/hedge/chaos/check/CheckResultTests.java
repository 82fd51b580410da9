package dev.hedge.chaos.check;

import org.junit.jupiter.api.Test;

import dev.hedge.chaos.check.CheckResult.Status;

import static org.assertj.core.api.Assertions.assertThat;

class CheckResultTests {

	@Test
	void aResultWithoutProblemsPasses() {
		CheckResult result = CheckResult.builder("C1 leadership overlap")
			.count("generations", 14)
			.count("overlaps", 0)
			.build();
		assertThat(result.status()).isEqualTo(Status.PASS);
		assertThat(result.ok()).isTrue();
		assertThat(result.summary()).isEqualTo("C1 leadership overlap: PASS (generations=14, overlaps=0)");
	}

	@Test
	void oneViolationFails() {
		CheckResult result = CheckResult.builder("x").violation("bad").build();
		assertThat(result.status()).isEqualTo(Status.FAIL);
		assertThat(result.ok()).isFalse();
		assertThat(result.violationCount()).isOne();
		assertThat(result.descriptions()).containsExactly("bad");
	}

	@Test
	void somethingUndecidedWithoutViolationsIsUnknown() {
		CheckResult result = CheckResult.builder("x").unknown("key k: out of time").build();
		assertThat(result.status()).isEqualTo(Status.UNKNOWN);
		assertThat(result.ok()).isFalse();
		assertThat(result.violationCount()).isZero();
		assertThat(result.descriptions()).containsExactly("UNKNOWN: key k: out of time");
	}

	@Test
	void aViolationOutweighsSomethingUndecided() {
		CheckResult result = CheckResult.builder("x").unknown("a").violation("b").build();
		assertThat(result.status()).isEqualTo(Status.FAIL);
	}

	@Test
	void descriptionsAreCappedButViolationsAreAllCounted() {
		CheckResult.Builder builder = CheckResult.builder("x");
		for (int i = 0; i < 50; i++) {
			builder.violation("v" + i);
		}
		CheckResult result = builder.build();
		assertThat(result.violationCount()).isEqualTo(50);
		assertThat(result.descriptions()).hasSize(CheckResult.MAX_DESCRIPTIONS).startsWith("v0", "v1");
	}

	@Test
	void figuresKeepTheirOrderAndAbsentOnesReadAsZero() {
		CheckResult result = CheckResult.builder("x").count("b", 2).count("a", 1).count("b", 3).build();
		assertThat(result.counts().keySet()).containsExactly("b", "a");
		assertThat(result.count("b")).isEqualTo(3);
		assertThat(result.count("missing")).isZero();
		assertThat(result.summary()).isEqualTo("x: PASS (b=3, a=1)");
		assertThat(CheckResult.builder("y").build().summary()).isEqualTo("y: PASS");
	}

}
