package dev.hedge.membership;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The holder side of permit safety, step by step on a manual clock: heartbeat every {@code I = 200 ms}, member timeout
 * {@code T = 1 s}, so a grant is trusted for {@code W = 0.99 (T - I) = 792 ms} after the last acknowledged heartbeat
 * was sent.
 */
class HolderValidityTests {

	private static final long MS = 1_000_000L;

	private static final Duration LONG_LEASE = Duration.ofSeconds(5);

	private final HolderValidity validity = new HolderValidity(
			new MembershipOptions(Duration.ofMillis(200), Duration.ofSeconds(1)));

	@Test
	void regularAcksKeepASessionValidForTheWindowAfterTheLastSend() {
		long session = this.validity.session();
		for (long sent = 0; sent <= 2000; sent += 200) {
			this.validity.acknowledged(sent * MS, LONG_LEASE, (sent + 20) * MS);
		}
		assertThat(this.validity.session()).isEqualTo(session);
		assertThat(this.validity.validUntil(session)).isEqualTo((2000 + 792) * MS);
	}

	@Test
	void aLateAckDoesNotReviveAValidityThatHadLapsed() {
		// review finding S7: hb1 sent and acked at 0; hb2 sent at 700 ms (within W of hb1) is delayed; meanwhile the
		// validity lapsed at 792 ms and the leader may have reclaimed the permit at T; hb2's ack arrives at 1160 ms
		long session = this.validity.session();
		this.validity.acknowledged(0, LONG_LEASE, 10 * MS);
		assertThat(this.validity.validUntil(session)).isEqualTo(792 * MS);
		this.validity.acknowledged(700 * MS, LONG_LEASE, 1160 * MS);
		assertThat(this.validity.validUntil(session)).as("the old session's grants").isZero();
		long next = this.validity.session();
		assertThat(next).isNotEqualTo(session);
		assertThat(this.validity.validUntil(next)).as("grants of the new session").isEqualTo((700 + 792) * MS);
	}

	@Test
	void aGapInAcknowledgedSendsLongerThanTheWindowEndsTheSession() {
		long session = this.validity.session();
		this.validity.acknowledged(0, LONG_LEASE, 10 * MS);
		this.validity.acknowledged(780 * MS, LONG_LEASE, 785 * MS);
		assertThat(this.validity.validUntil(session)).as("still within the window").isEqualTo((780 + 792) * MS);
		this.validity.acknowledged(1600 * MS, LONG_LEASE, 1605 * MS);
		assertThat(this.validity.validUntil(session)).isZero();
	}

	@Test
	void anAckIsNeverTrustedBeyondTheAcknowledgingLeadersOwnLease() {
		// review finding S6: a leader whose term is ending (300 ms of lease left) acks; its successor may reclaim once
		// it has led for T, so the stale leader's ack must not vouch for the full window
		long session = this.validity.session();
		this.validity.acknowledged(0, Duration.ofMillis(300), 5 * MS);
		assertThat(this.validity.validUntil(session)).isEqualTo(300 * MS);
		this.validity.acknowledged(200 * MS, Duration.ofMillis(50), 205 * MS);
		assertThat(this.validity.validUntil(session)).as("never moves back").isEqualTo(300 * MS);
		this.validity.acknowledged(290 * MS, Duration.ZERO, 295 * MS);
		assertThat(this.validity.validUntil(session)).isEqualTo(300 * MS);
	}

	@Test
	void nothingIsValidBeforeTheFirstAck() {
		assertThat(this.validity.validUntil(this.validity.session())).isZero();
	}

}
