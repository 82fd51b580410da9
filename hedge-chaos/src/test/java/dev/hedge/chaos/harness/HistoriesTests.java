package dev.hedge.chaos.harness;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.hedge.chaos.history.Effect;
import dev.hedge.chaos.history.Hold;
import dev.hedge.chaos.history.Op;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for how {@link Histories} completes holds with commit timestamps, in particular a release whose commit no
 * leader recorded because the leader was killed right after committing it.
 */
class HistoriesTests {

	private static final Hold HOLD = new Hold("m0", "p1", Histories.SEMAPHORE, 2, 50, 500, 5_000, 0, 0);

	private static final Effect GRANT = new Effect("leader", "sem-grant", 1, 40, 40, 100, "s1/p1");

	private static final Effect BEFORE_RELEASE = new Effect("leader", "put", 1, 300, 400, 200, "k/v1");

	private static final Effect AFTER_RELEASE = new Effect("leader", "put", 1, 450, 600, 300, "k/v2");

	private static Op release(String type) {
		return new Op("m0.1", 7, "release", Histories.SEMAPHORE, "p1", null, 500, 900, type, "not held", 1);
	}

	@Test
	void anUnauditedReleaseIsPlacedJustAfterTheLastCommitThatReturnedBeforeItWasInvoked() {
		List<Hold> holds = Histories.completeHolds(List.of(HOLD), List.of(GRANT, BEFORE_RELEASE, AFTER_RELEASE),
				List.of(release(Op.OK)));
		assertThat(holds).singleElement().satisfies((h) -> {
			assertThat(h.grantTimestampMicros()).isEqualTo(100);
			assertThat(h.releaseTimestampMicros()).isEqualTo(201);
		});
	}

	@Test
	void anAuditedReleaseWins() {
		Effect released = new Effect("leader", "sem-release", 1, 700, 700, 350, "s1/p1");
		List<Hold> holds = Histories.completeHolds(List.of(HOLD),
				List.of(GRANT, BEFORE_RELEASE, AFTER_RELEASE, released), List.of(release(Op.OK)));
		assertThat(holds).singleElement().satisfies((h) -> assertThat(h.releaseTimestampMicros()).isEqualTo(350));
	}

	@Test
	void aReleaseOfUnknownOutcomeOrNoReleaseLeavesThePermitGranted() {
		assertThat(Histories.completeHolds(List.of(HOLD), List.of(GRANT, BEFORE_RELEASE), List.of(release("info"))))
			.singleElement()
			.satisfies((h) -> assertThat(h.releaseTimestampMicros()).isZero());
		assertThat(Histories.completeHolds(List.of(HOLD), List.of(GRANT, BEFORE_RELEASE), List.of()))
			.singleElement()
			.satisfies((h) -> assertThat(h.releaseTimestampMicros()).isZero());
	}

}
