package dev.hedge.crdt;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link LWWRegister}: the later write wins, equal timestamps go to the greater replica id everywhere. */
class LWWRegisterTests {

	private final LWWRegister<String> start = new LWWRegister<>("start", 10, "B");

	@Test
	void theWriteWithTheLaterTimestampWins() {
		LWWRegister<String> byA = this.start.set("A", "a", 20).state();
		LWWRegister<String> byC = this.start.set("C", "c", 15).state();
		assertThat(byA.merge(byC).value()).isEqualTo("a");
		assertThat(byC.merge(byA).value()).isEqualTo("a");
	}

	@Test
	void equalTimestampsAreWonByTheGreaterReplicaIdOnEveryReplica() {
		LWWRegister<String> byA = this.start.set("A", "a", 20).state();
		LWWRegister<String> byC = this.start.set("C", "c", 20).state();
		assertThat(byA.merge(byC)).isEqualTo(byC.merge(byA)).isEqualTo(new LWWRegister<>("c", 20, "C"));
	}

	@Test
	void aWriteThatDoesNotBeatTheCurrentOneLosesAtOnce() {
		Mutation<LWWRegister<String>> older = this.start.set("C", "late", 9);
		assertThat(older.state()).isEqualTo(this.start);
		assertThat(this.start.merge(older.delta())).isEqualTo(this.start);
		assertThat(this.start.set("B", "same stamp, same replica", 10).state()).isEqualTo(this.start);
	}

	@Test
	void theNextTimestampBeatsTheCurrentWriteEvenWhenTheClockIsBehind() {
		assertThat(this.start.nextTimestamp(3)).isEqualTo(11);
		assertThat(this.start.nextTimestamp(50)).isEqualTo(50);
		LWWRegister<String> written = this.start.set("A", "a", this.start.nextTimestamp(3)).state();
		assertThat(written).hasToString("LWWRegister{value=a, timestamp=11, replica=A}");
	}

}
