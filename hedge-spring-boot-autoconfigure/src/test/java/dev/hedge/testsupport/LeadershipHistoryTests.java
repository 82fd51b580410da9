package dev.hedge.testsupport;

import org.junit.jupiter.api.Test;

import dev.hedge.election.LeadershipEvent;
import dev.hedge.election.LeadershipEvent.RevokeReason;
import dev.hedge.election.LeadershipListener;

import static org.assertj.core.api.Assertions.assertThat;

/** The overlap checker must be able to fail: known-bad histories are flagged, known-good ones are not. */
class LeadershipHistoryTests {

	private static void term(LeadershipHistory history, String node, long epoch, long start, long end) {
		LeadershipListener listener = history.listener();
		listener.onGranted(new LeadershipEvent(node, epoch, true, null, start));
		listener.onRevoked(new LeadershipEvent(node, epoch, false, RevokeReason.LOST, end));
	}

	@Test
	void disjointTermsPass() {
		LeadershipHistory history = new LeadershipHistory();
		term(history, "a", 1, 0, 100);
		term(history, "b", 2, 100, 200);
		term(history, "a", 3, 250, 300);
		assertThat(history.overlaps(1000)).isEmpty();
		assertThat(history.epochOrderViolations()).isEmpty();
	}

	@Test
	void oneNanosecondOfOverlapIsFlagged() {
		LeadershipHistory history = new LeadershipHistory();
		term(history, "a", 1, 0, 101);
		term(history, "b", 2, 100, 200);
		assertThat(history.overlaps(1000)).hasSize(1);
	}

	@Test
	void aTermNestedInsideALongOneIsFlagged() {
		LeadershipHistory history = new LeadershipHistory();
		term(history, "a", 1, 0, 1000);
		term(history, "b", 2, 100, 200);
		term(history, "c", 3, 300, 400);
		assertThat(history.overlaps(2000)).hasSize(2);
	}

	@Test
	void anOpenTermOverlapsWhatStartsAfterIt() {
		LeadershipHistory history = new LeadershipHistory();
		history.listener().onGranted(new LeadershipEvent("a", 1, true, null, 0));
		term(history, "b", 2, 500, 600);
		assertThat(history.overlaps(1000)).hasSize(1);
	}

	@Test
	void epochsThatDoNotIncreaseAreFlagged() {
		LeadershipHistory history = new LeadershipHistory();
		term(history, "a", 5, 0, 100);
		term(history, "b", 5, 200, 300);
		assertThat(history.epochOrderViolations()).hasSize(1);
	}

}
