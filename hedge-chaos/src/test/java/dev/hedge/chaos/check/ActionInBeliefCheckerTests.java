package dev.hedge.chaos.check;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.hedge.chaos.check.CheckResult.Status;
import dev.hedge.chaos.history.Effect;
import dev.hedge.chaos.history.Term;

import static org.assertj.core.api.Assertions.assertThat;

class ActionInBeliefCheckerTests {

	private static final long NEVER = Long.MAX_VALUE;

	private final ActionInBeliefChecker checker = new ActionInBeliefChecker();

	private final List<Term> terms = List.of(new Term("a", 1, 0, 1000, 1200, "released"),
			new Term("b", 2, 1000, NEVER, 2000, null), new Term("a", 3, 2500, 2700, 3000, "lost"));

	@Test
	void actionsInsideTheirTermsPass() {
		CheckResult result = this.checker.check(this.terms, List.of(Effect.of("a", "put", 1, 0, 10),
				Effect.of("a", "sem-grant", 1, 500, 1000), Effect.of("b", "put", 2, 1000, 1999),
				Effect.of("a", "send-handle", 3, 2600, 2700)));
		assertThat(result.status()).isEqualTo(Status.PASS);
		assertThat(result.count("effects")).isEqualTo(4);
		assertThat(result.count("outside")).isZero();
	}

	@Test
	void emptyInputPasses() {
		assertThat(this.checker.check(List.of(), List.of()).ok()).isTrue();
		assertThat(this.checker.check(this.terms, List.of()).ok()).isTrue();
	}

	@Test
	void anActionAfterTheDeadlineIsFlagged() {
		CheckResult result = this.checker.check(this.terms, List.of(Effect.of("b", "put", 2, 1900, 2001)));
		assertThat(result.status()).isEqualTo(Status.FAIL);
		assertThat(result.descriptions()).singleElement().asString().contains("ends 1 ns after the deadline");
	}

	@Test
	void anActionAfterTheEndOfTheTermIsFlagged() {
		CheckResult result = this.checker.check(this.terms, List.of(Effect.of("a", "put", 1, 900, 1001)));
		assertThat(result.descriptions()).singleElement().asString().contains("after the end of the term");
	}

	@Test
	void anActionStartingBeforeItsTermIsFlagged() {
		CheckResult result = this.checker.check(this.terms, List.of(Effect.of("a", "put", 3, 2499, 2600)));
		assertThat(result.count("outside")).isOne();
		assertThat(result.descriptions()).singleElement().asString().contains("before the term");
	}

	@Test
	void anActionUnderAStaleEpochIsFlaggedEvenInsideANewerTerm() {
		CheckResult result = this.checker.check(this.terms, List.of(Effect.of("a", "put", 1, 2600, 2650)));
		assertThat(result.count("outside")).isOne();
	}

	@Test
	void anActionOfAMemberWithoutThatTermIsFlaggedAndTheOwnerNamed() {
		CheckResult result = this.checker.check(this.terms, List.of(Effect.of("c", "put", 2, 1100, 1200)));
		assertThat(result.descriptions()).singleElement()
			.asString()
			.contains("c has no term at epoch 2", "belongs to b");
	}

	@Test
	void anActionEndingExactlyAtTheDeadlineIsInside() {
		CheckResult result = this.checker.check(this.terms, List.of(Effect.of("b", "put", 2, 1000, 2000)));
		assertThat(result.ok()).isTrue();
	}

	@Test
	void anUnfinishedActionIsJudgedByItsStart() {
		CheckResult inside = this.checker.check(this.terms, List.of(Effect.of("b", "put", 2, 1500, NEVER)));
		assertThat(inside.ok()).isTrue();
		assertThat(inside.count("unfinished")).isOne();
		CheckResult late = this.checker.check(this.terms, List.of(Effect.of("b", "put", 2, 2000, NEVER)));
		assertThat(late.status()).isEqualTo(Status.FAIL);
		assertThat(late.descriptions()).singleElement().asString().contains("starts 0 ns after the deadline");
	}

}
