package dev.hedge.semaphore;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link FullAnswers} on a hand-driven clock: only a permit id the store refused is refused from memory,
 * only for {@link FullAnswers#TRUST}, never while a grant of that id is in flight, and never after a permit was freed
 * or granted.
 */
class FullAnswersTests {

	private final AtomicLong clock = new AtomicLong(1_000);

	private final FullAnswers answers = new FullAnswers(this.clock::get);

	private void refusedByStore(String name, String id) {
		this.answers.started(name, id);
		this.answers.finished(name, id, true);
	}

	@Test
	void onlyTheRefusedIdIsRefusedFromMemoryAndOnlyWhileTrusted() {
		assertThat(this.answers.stillFull("s", "a")).isFalse();
		refusedByStore("s", "a");
		assertThat(this.answers.stillFull("s", "a")).isTrue();
		assertThat(this.answers.stillFull("s", "b")).as("an id the store never refused").isFalse();
		assertThat(this.answers.stillFull("t", "a")).as("another semaphore").isFalse();
		this.clock.addAndGet(FullAnswers.TRUST + 1);
		assertThat(this.answers.stillFull("s", "a")).isFalse();
	}

	@Test
	void aReleaseOrAGrantForgetsTheSemaphoresAnswers() {
		refusedByStore("s", "a");
		this.answers.freed("s");
		assertThat(this.answers.stillFull("s", "a")).isFalse();
		refusedByStore("s", "a");
		this.answers.started("s", "b");
		this.answers.finished("s", "b", false);
		assertThat(this.answers.stillFull("s", "a")).isFalse();
		refusedByStore("s", "a");
		this.answers.clear();
		assertThat(this.answers.stillFull("s", "a")).isFalse();
	}

	@Test
	void aRetryWhileTheSameIdsGrantIsInFlightGoesToTheStore() {
		refusedByStore("s", "a");
		this.answers.started("s", "a");
		assertThat(this.answers.stillFull("s", "a")).isFalse();
		this.answers.finished("s", "a", true);
		assertThat(this.answers.stillFull("s", "a")).isTrue();
	}

}
