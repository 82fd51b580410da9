package dev.hedge.chaos.check;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.hedge.chaos.check.RegisterModel.Register;
import dev.hedge.chaos.history.Op;

import static org.assertj.core.api.Assertions.assertThat;

class RegisterModelTests {

	private final RegisterModel model = new RegisterModel();

	@Test
	void aPutIsAlwaysLegalAndAGetMustReadTheCurrentValue() {
		Register written = this.model.step(this.model.init(), Op.put("a", 1, "k", "x", 0, 1, Op.OK)).orElseThrow();
		assertThat(written).isEqualTo(new Register("x"));
		assertThat(this.model.step(written, Op.get("b", 1, "k", "x", 0, 1, Op.OK))).contains(written);
		assertThat(this.model.step(written, Op.get("b", 1, "k", null, 0, 1, Op.OK))).isEmpty();
		assertThat(this.model.step(this.model.init(), Op.get("b", 1, "k", null, 0, 1, Op.OK)))
			.contains(Register.EMPTY);
	}

	@Test
	void aGetThatDidNotSucceedChangesNothing() {
		assertThat(this.model.step(Register.EMPTY, Op.get("b", 1, "k", "junk", 0, 1, Op.INFO)))
			.contains(Register.EMPTY);
	}

	@Test
	void partitioningKeepsPutsAndSuccessfulGetsByKey() {
		Map<String, List<Op>> partitions = this.model.partition(List.of(Op.put("a", 1, "k1", "x", 0, 1, Op.OK),
				Op.put("a", 2, "k1", "y", 2, 3, Op.FAIL), Op.get("b", 1, "k2", "z", 0, 1, Op.FAIL),
				Op.get("b", 2, "k2", null, 0, 1, Op.OK), Op.getAll("b", 3, "k1", List.of("x"), 0, 1, Op.OK)));
		assertThat(partitions).containsOnlyKeys("k1", "k2");
		assertThat(partitions.get("k1")).extracting(Op::opId).containsExactly(1L);
		assertThat(partitions.get("k2")).extracting(Op::opId).containsExactly(2L);
	}

	@Test
	void anUnknownPutNobodyReadIsDropped() {
		Map<String, List<Op>> partitions = this.model.partition(List.of(Op.put("a", 1, "k", "x", 0, 10, Op.INFO),
				Op.get("b", 1, "k", null, 20, 30, Op.OK)));
		assertThat(partitions.get("k")).extracting(Op::f).containsExactly(Op.GET);
	}

	@Test
	void anUnknownPutThatWasReadBecomesOkByTheEarliestRead() {
		Map<String, List<Op>> partitions = this.model.partition(List.of(
				Op.put("a", 1, "k", "x", 10, Long.MAX_VALUE, Op.INFO), Op.get("b", 1, "k", "x", 40, 50, Op.OK),
				Op.get("c", 1, "k", "x", 20, 30, Op.OK)));
		Op put = partitions.get("k").get(0);
		assertThat(put.type()).isEqualTo(Op.OK);
		assertThat(put.invokeNanos()).isEqualTo(10);
		assertThat(put.returnNanos()).isEqualTo(30);
	}

	@Test
	void anUnknownPutReadBeforeItsInvocationReturnsAtItsInvocation() {
		Map<String, List<Op>> partitions = this.model.partition(List.of(Op.put("a", 1, "k", "x", 10, 20, Op.INFO),
				Op.get("b", 1, "k", "x", 0, 5, Op.OK)));
		assertThat(partitions.get("k").get(0).returnNanos()).isEqualTo(10);
	}

	@Test
	void anUnknownPutOfAValueWrittenTwiceStaysUnknown() {
		Map<String, List<Op>> partitions = this.model.partition(List.of(Op.put("a", 1, "k", "x", 10, 20, Op.INFO),
				Op.put("c", 1, "k", "x", 30, 40, Op.OK), Op.get("b", 1, "k", "x", 50, 60, Op.OK)));
		assertThat(partitions.get("k").get(0).type()).isEqualTo(Op.INFO);
	}

}
