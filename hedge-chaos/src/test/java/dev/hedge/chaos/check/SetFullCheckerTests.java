package dev.hedge.chaos.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.hedge.chaos.check.CheckResult.Status;
import dev.hedge.chaos.history.Op;

import static org.assertj.core.api.Assertions.assertThat;

class SetFullCheckerTests {

	private final SetFullChecker checker = new SetFullChecker();

	private final List<Op> history = new ArrayList<>(List.of(Op.put("m1", 1, "k", "a", 0, 10, Op.OK),
			Op.put("m2", 1, "k", "b", 20, 30, Op.OK), Op.put("m1", 2, "k", "c", 40, 50, Op.OK),
			Op.put("m3", 1, "k", "d", 45, 60, Op.INFO), Op.put("m3", 2, "k", "e", 70, 80, Op.INFO),
			Op.put("m2", 2, "k", "f", 90, 95, Op.FAIL), Op.getAll("m2", 3, "k", List.of("a"), 11, 19, Op.OK),
			Op.getAll("m1", 3, "k", List.of("b", "a"), 31, 39, Op.OK),
			Op.getAll("m1", 4, "k", List.of(), -5, -1, Op.OK),
			Op.getAll("m3", 3, "k", List.of("zzz"), 31, 39, Op.FAIL), Op.put("m1", 5, "j", "a", 0, 10, Op.OK)));

	private final Map<String, List<String>> finalRead = Map.of("k", List.of("d", "c", "b", "a"), "j", List.of("a"));

	@Test
	void aCompleteHistoryPasses() {
		CheckResult result = this.checker.check(this.history, this.finalRead);
		assertThat(result.status()).isEqualTo(Status.PASS);
		assertThat(result.count("keys")).isEqualTo(2);
		assertThat(result.count("puts")).isEqualTo(7);
		assertThat(result.count("acknowledged")).isEqualTo(4);
		assertThat(result.count("unknown")).isEqualTo(2);
		assertThat(result.count("unknownApplied")).isOne();
		assertThat(result.count("failed")).isOne();
		assertThat(result.count("getAlls")).isEqualTo(3);
	}

	@Test
	void emptyInputPasses() {
		assertThat(this.checker.check(List.of(), Map.of()).ok()).isTrue();
		assertThat(this.checker.check(List.of(), Map.of("k", List.of())).ok()).isTrue();
	}

	@Test
	void anAcknowledgedPutMissingFromTheFinalReadIsLost() {
		CheckResult result = this.checker.check(this.history,
				Map.of("k", List.of("d", "c", "a"), "j", List.of("a")));
		assertThat(result.status()).isEqualTo(Status.FAIL);
		assertThat(result.count("lost")).isOne();
		assertThat(result.descriptions()).anySatisfy((text) -> assertThat(text).startsWith("lost:").contains("m2#1"));
	}

	@Test
	void aKeyMissingFromTheFinalReadLosesEveryAcknowledgedPut() {
		CheckResult result = this.checker.check(this.history, Map.of("j", List.of("a")));
		assertThat(result.count("lost")).isEqualTo(3);
	}

	@Test
	void aValuePresentTwiceIsADuplicate() {
		CheckResult result = this.checker.check(this.history,
				Map.of("k", List.of("d", "c", "b", "b", "a"), "j", List.of("a")));
		assertThat(result.count("duplicates")).isOne();
		assertThat(result.descriptions()).anySatisfy((text) -> assertThat(text).contains("holds b 2 times"));
	}

	@Test
	void aValueNoPutTriedToWriteIsAPhantom() {
		CheckResult result = this.checker.check(this.history,
				Map.of("k", List.of("x", "d", "c", "b", "a"), "j", List.of("c", "a")));
		assertThat(result.count("phantoms")).isEqualTo(2);
		assertThat(result.status()).isEqualTo(Status.FAIL);
	}

	@Test
	void aFailedPutThatWasAppliedIsFlagged() {
		CheckResult result = this.checker.check(this.history,
				Map.of("k", List.of("f", "d", "c", "b", "a"), "j", List.of("a")));
		assertThat(result.count("failedButApplied")).isOne();
		assertThat(result.descriptions()).singleElement().asString().startsWith("failed but applied:");
	}

	@Test
	void aFailedAttemptRetriedSuccessfullyCountsAsOneAcknowledgedPut() {
		List<Op> history = List.of(Op.put("m1", 1, "k", "a", 0, 10, Op.FAIL), Op.put("m1", 2, "k", "a", 20, 30, Op.OK));
		CheckResult result = this.checker.check(history, Map.of("k", List.of("a")));
		assertThat(result.ok()).isTrue();
		assertThat(result.count("puts")).isOne();
		assertThat(result.count("acknowledged")).isOne();
	}

	@Test
	void putsOfUnknownOutcomeMayOrMayNotBePresent() {
		List<Op> history = List.of(Op.put("m1", 1, "k", "a", 0, Long.MAX_VALUE, Op.INFO),
				Op.put("m2", 1, "k", "b", 0, 100, Op.INFO));
		assertThat(this.checker.check(history, Map.of()).ok()).isTrue();
		assertThat(this.checker.check(history, Map.of("k", List.of("a", "b"))).ok()).isTrue();
		assertThat(this.checker.check(history, Map.of("k", List.of("b"))).count("unknownApplied")).isOne();
	}

	@Test
	void aGetAllThatIsNotAnOlderPartOfTheFinalReadIsFlagged() {
		this.history.add(Op.getAll("m4", 1, "k", List.of("c", "a"), 50, 60, Op.OK));
		CheckResult result = this.checker.check(this.history, this.finalRead);
		assertThat(result.count("prefixViolations")).isOne();
		assertThat(result.descriptions()).singleElement()
			.asString()
			.contains("m4#1", "value #2 from the oldest is c but the final read has b");
	}

	@Test
	void aGetAllWhoseOldestValueDiffersIsFlagged() {
		this.history.add(Op.getAll("m4", 1, "k", List.of("b"), 50, 60, Op.OK));
		assertThat(this.checker.check(this.history, this.finalRead).count("prefixViolations")).isOne();
	}

	@Test
	void aGetAllLongerThanTheFinalReadIsFlagged() {
		this.history.add(Op.getAll("m4", 1, "j", List.of("x", "a"), 50, 60, Op.OK));
		CheckResult result = this.checker.check(this.history, this.finalRead);
		assertThat(result.descriptions()).singleElement().asString().contains("read 2 values", "only 1");
	}

	@Test
	void aValueOlderThanAPutAcknowledgedBeforeItsInvocationIsFlagged() {
		List<Op> history = List.of(Op.put("m1", 1, "k", "a", 0, 10, Op.OK), Op.put("m2", 1, "k", "b", 20, 30, Op.OK),
				Op.put("m3", 1, "k", "c", 5, 25, Op.OK));
		assertThat(this.checker.check(history, Map.of("k", List.of("b", "c", "a"))).ok()).isTrue();
		assertThat(this.checker.check(history, Map.of("k", List.of("c", "b", "a"))).ok()).isTrue();
		CheckResult reordered = this.checker.check(history, Map.of("k", List.of("c", "a", "b")));
		assertThat(reordered.count("realTimeOrderViolations")).isOne();
		assertThat(reordered.descriptions()).singleElement().asString().contains("m2#1", "is older than", "m1#1");
	}

	@Test
	void identicalTimestampsAreConcurrentForRealTimeOrder() {
		List<Op> history = List.of(Op.put("m1", 1, "k", "a", 0, 10, Op.OK), Op.put("m2", 1, "k", "b", 10, 20, Op.OK));
		assertThat(this.checker.check(history, Map.of("k", List.of("a", "b"))).ok()).isTrue();
	}

}
