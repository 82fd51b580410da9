package dev.hedge.chain;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ChainConfigTests {

	private static final ChainMember A = new ChainMember("10.0.0.1:9091", "a-1", false);

	private static final ChainMember B = new ChainMember("10.0.0.2:9091", "b-1", true);

	private static final ChainMember C = new ChainMember("10.0.0.3:9091", "c-1", false);

	private static final ChainMember J = new ChainMember("10.0.0.4:9091", "j-1", false);

	@Test
	void theRolesFollowTheOrderAndTheSyncingMemberIsLastButServesNothing() {
		ChainConfig config = new ChainConfig(7, 3, List.of(A, B, C), J);
		assertThat(config.head()).hasValue(A);
		assertThat(config.readTail()).hasValue(C);
		assertThat(config.chain()).containsExactly(A, B, C, J);
		assertThat(config.successorOf(B)).hasValue(C);
		assertThat(config.successorOf(C)).hasValue(J);
		assertThat(config.successorOf(J)).isEmpty();
		assertThat(config.predecessorOf(A)).isEmpty();
		assertThat(config.predecessorOf(J)).hasValue(C);
		assertThat(config.isServing(C)).isTrue();
		assertThat(config.isServing(J)).isFalse();
		assertThat(config.inChain(J)).isTrue();
		assertThat(config.member(J.id())).hasValue(J);
	}

	@Test
	void aPositionBelongsToAnIncarnationNotToAnId() {
		ChainConfig config = new ChainConfig(1, 1, List.of(A, B), null);
		ChainMember restarted = new ChainMember(A.id(), "a-2", false);
		assertThat(config.isServing(restarted)).isFalse();
		assertThat(config.inChain(restarted)).isFalse();
		assertThat(config.successorOf(restarted)).isEmpty();
	}

	@Test
	void membersTextRoundTrips() {
		ChainConfig config = new ChainConfig(12, 4, List.of(A, B, C), J);
		assertThat(ChainConfig.parse(12, 4, config.membersText())).isEqualTo(config);
		assertThat(ChainConfig.parse(1, 1, "")).isEqualTo(new ChainConfig(1, 1, List.of(), null));
	}

	@Test
	void damagedTextIsATypedError() {
		for (String text : List.of("member a", "member a b maybe\n", "leader a b true\n", "syncing a b true\nmember c d true\n",
				"syncing a b true\nsyncing c d true\n", "member a b true\nmember a c true\n")) {
			assertThatExceptionOfType(ChainConfigException.class).as(text)
				.isThrownBy(() -> ChainConfig.parse(3, 1, text))
				.withMessageContaining("version 3 is damaged");
		}
	}

	@Test
	void anIdIsInAChainOnce() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ChainConfig(1, 1, List.of(A, A), null));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ChainConfig(1, 1, List.of(A), new ChainMember(A.id(), "x", false)));
		assertThatIllegalArgumentException().isThrownBy(() -> new ChainMember("a b", "x", false));
		assertThatIllegalArgumentException().isThrownBy(() -> new ChainMember("a", "", false));
	}

	@Test
	void nextIncrementsTheVersionAndSameChainIgnoresIt() {
		ChainConfig config = new ChainConfig(5, 2, List.of(A, B), null);
		ChainConfig next = config.next(3, List.of(A, B), null);
		assertThat(next.version()).isEqualTo(6);
		assertThat(next.epoch()).isEqualTo(3);
		assertThat(next.sameChain(config)).isTrue();
		assertThat(next.sameChain(config.next(3, List.of(B), null))).isFalse();
	}

}
