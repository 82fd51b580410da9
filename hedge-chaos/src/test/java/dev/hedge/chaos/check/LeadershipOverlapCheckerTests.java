package dev.hedge.chaos.check;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.hedge.chaos.check.CheckResult.Status;
import dev.hedge.chaos.history.Term;

import static org.assertj.core.api.Assertions.assertThat;

class LeadershipOverlapCheckerTests {

	private static final long NEVER = Long.MAX_VALUE;

	private final LeadershipOverlapChecker checker = new LeadershipOverlapChecker();

	private static Term term(String member, long epoch, long start, long end) {
		return new Term(member, epoch, start, end, NEVER, "released");
	}

	@Test
	void disjointTermsOfDifferentMembersPass() {
		CheckResult result = this.checker.check(List.of(term("b", 2, 100, 200), term("a", 1, 0, 100),
				term("a", 3, 250, 300), new Term("c", 4, 400, NEVER, 500, null)));
		assertThat(result.status()).isEqualTo(Status.PASS);
		assertThat(result.count("terms")).isEqualTo(4);
		assertThat(result.count("generations")).isEqualTo(4);
		assertThat(result.count("unclosedTerms")).isOne();
		assertThat(result.count("overlaps")).isZero();
		assertThat(result.summary()).startsWith("C1 leadership overlap: PASS (terms=4, generations=4");
	}

	@Test
	void emptyInputPasses() {
		CheckResult result = this.checker.check(List.of());
		assertThat(result.ok()).isTrue();
		assertThat(result.count("generations")).isZero();
	}

	@Test
	void overlappingTermsOfTwoMembersAreFlagged() {
		CheckResult result = this.checker.check(List.of(term("a", 1, 0, 101), term("b", 2, 100, 200)));
		assertThat(result.status()).isEqualTo(Status.FAIL);
		assertThat(result.count("overlaps")).isOne();
		assertThat(result.descriptions()).singleElement()
			.asString()
			.contains("a epoch 1", "b epoch 2", "by 1 ns");
	}

	@Test
	void termsThatOnlyTouchDoNotOverlap() {
		CheckResult result = this.checker.check(List.of(term("a", 1, 0, 100), term("b", 2, 100, 200)));
		assertThat(result.ok()).isTrue();
	}

	@Test
	void aTermNestedInsideALongOneIsFlaggedOncePerNestedTerm() {
		CheckResult result = this.checker.check(List.of(term("a", 1, 0, 1000), term("b", 2, 100, 200),
				term("c", 3, 300, 400), term("d", 4, 1000, 1100)));
		assertThat(result.count("overlaps")).isEqualTo(2);
		assertThat(result.violationCount()).isEqualTo(2);
	}

	@Test
	void anUnclosedTermIsClosedAtItsDeadline() {
		Term killed = new Term("a", 1, 0, NEVER, 300, null);
		assertThat(this.checker.check(List.of(killed, term("b", 2, 300, 400))).ok()).isTrue();
		assertThat(this.checker.check(List.of(killed, term("b", 2, 299, 400))).count("overlaps")).isOne();
	}

	@Test
	void anUnclosedTermWithoutDeadlineOverlapsEverythingAfterIt() {
		Term open = new Term("a", 1, 0, NEVER, NEVER, null);
		CheckResult result = this.checker.check(List.of(open, term("b", 2, 10_000, 10_100),
				term("c", 3, 1_000_000, 1_000_100)));
		assertThat(result.count("overlaps")).isEqualTo(2);
	}

	@Test
	void aMemberThatOutlivesItsDeadlineBelievesOnlyUntilTheDeadline() {
		Term lateEnd = new Term("a", 1, 0, 900, 300, "lost");
		assertThat(this.checker.check(List.of(lateEnd, term("b", 2, 400, 500))).ok()).isTrue();
	}

	@Test
	void aDeadlineLaterThanTheEndDoesNotExtendTheBelief() {
		Term released = new Term("a", 1, 0, 100, 900, "released");
		assertThat(this.checker.check(List.of(released, term("b", 2, 100, 500))).ok()).isTrue();
	}

	@Test
	void identicalStartsOfTwoMembersAreFlagged() {
		CheckResult result = this.checker.check(List.of(term("a", 1, 50, 100), term("b", 2, 50, 100)));
		assertThat(result.count("overlaps")).isOne();
		assertThat(result.count("epochOrderViolations")).isZero();
	}

	@Test
	void overlappingTermsOfTheSameMemberAreNotAnOverlap() {
		CheckResult result = this.checker.check(List.of(term("a", 1, 0, 200), term("a", 2, 100, 300)));
		assertThat(result.ok()).isTrue();
	}

	@Test
	void aTermThatIsEmptyOverlapsNothing() {
		Term empty = new Term("b", 2, 100, 150, 90, "deadline");
		CheckResult result = this.checker.check(List.of(term("a", 1, 0, 1000), empty));
		assertThat(result.count("overlaps")).isZero();
		assertThat(result.count("emptyTerms")).isOne();
	}

	@Test
	void aRepeatedEpochIsFlagged() {
		CheckResult result = this.checker.check(List.of(term("a", 5, 0, 100), term("b", 5, 200, 300)));
		assertThat(result.status()).isEqualTo(Status.FAIL);
		assertThat(result.count("epochOrderViolations")).isOne();
		assertThat(result.count("generations")).isOne();
	}

	@Test
	void anEpochBelowOneThatStartedEarlierIsFlagged() {
		CheckResult result = this.checker.check(List.of(term("a", 1, 0, 100), term("b", 5, 100, 200),
				term("c", 3, 200, 300), term("a", 4, 300, 400), term("b", 6, 400, 500)));
		assertThat(result.count("epochOrderViolations")).isEqualTo(2);
		assertThat(result.descriptions()).allSatisfy((text) -> assertThat(text).contains("does not exceed epoch 5"));
	}

	@Test
	void manyOverlapsAreAllCountedButOnlyTwentyDescribed() {
		List<Term> terms = new ArrayList<>();
		terms.add(new Term("a", 0, 0, NEVER, NEVER, null));
		for (int i = 1; i <= 30; i++) {
			terms.add(term("b", i, i * 10L, i * 10L + 5));
		}
		CheckResult result = this.checker.check(terms);
		assertThat(result.count("overlaps")).isEqualTo(30);
		assertThat(result.violationCount()).isEqualTo(30);
		assertThat(result.descriptions()).hasSize(20);
	}

}
