package dev.hedge.election;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LeaseRecordTests {

	private static final LeaseClaim CLAIM = new LeaseClaim("b:1", "inc-b", 3000, 1000);

	@Test
	void absentAndReleasedLeasesAreClaimable() {
		assertThat(LeaseRecord.absent().claimableBy(CLAIM)).isTrue();
		assertThat(new LeaseRecord(null, null, 7, 3000, 10).claimableBy(CLAIM)).isTrue();
	}

	@Test
	void liveLeaseIsNotClaimableUntilLeasePlusGraceHavePassed() {
		assertThat(new LeaseRecord("a:1", "inc-a", 1, 3000, 0).claimableBy(CLAIM)).isFalse();
		assertThat(new LeaseRecord("a:1", "inc-a", 1, 3000, 3999).claimableBy(CLAIM)).isFalse();
		assertThat(new LeaseRecord("a:1", "inc-a", 1, 3000, 4000).claimableBy(CLAIM)).isFalse();
		assertThat(new LeaseRecord("a:1", "inc-a", 1, 3000, 4001).claimableBy(CLAIM)).isTrue();
	}

	@Test
	void zeroOrNegativeAgeIsAliveUnlikeSpindle() {
		assertThat(new LeaseRecord("a:1", "inc-a", 1, 3000, 0).expired(1000)).isFalse();
		assertThat(new LeaseRecord("a:1", "inc-a", 1, 3000, -5).expired(1000)).isFalse();
	}

	@Test
	void theHoldersOwnIncarnationMayRetakeAtOnce() {
		assertThat(new LeaseRecord("b:1", "inc-b", 4, 3000, 0).claimableBy(CLAIM)).isTrue();
		assertThat(new LeaseRecord("b:1", "another-process", 4, 3000, 0).claimableBy(CLAIM)).isFalse();
	}

	@Test
	void theHoldersPromisedLeaseIsUsedNotTheClaimants() {
		LeaseRecord longLease = new LeaseRecord("a:1", "inc-a", 1, 60_000, 10_000);
		assertThat(longLease.claimableBy(CLAIM)).isFalse();
	}

	@Test
	void millisUntilExpiredIsWhenTheLeaseBecomesClaimable() {
		// grace 1000 (CLAIM): expired once the age is above 3000 + 1000
		LeaseRecord live = new LeaseRecord("a:1", "inc-a", 1, 3000, 3500);
		assertThat(live.millisUntilExpired(1000)).isEqualTo(501);
		assertThat(new LeaseRecord("a:1", "inc-a", 1, 3000, 3500 + 501).expired(1000)).isTrue();
		assertThat(new LeaseRecord("a:1", "inc-a", 1, 3000, 3500 + 500).expired(1000)).isFalse();
		assertThat(new LeaseRecord("a:1", "inc-a", 1, 3000, 4001).millisUntilExpired(1000)).isZero();
		assertThat(new LeaseRecord(null, null, 7, 3000, 10).millisUntilExpired(1000)).isZero();
	}

}
