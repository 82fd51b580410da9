package dev.hedge.semaphore;

import java.time.Instant;

/**
 * The leader's answer to one acquire attempt, independent of how it travelled (in process or over gRPC).
 *
 * @param granted whether the permit is held
 * @param epoch the answering leader's epoch
 * @param grantedAt the commit timestamp of the grant (the permit's fencing token), or {@code null}
 * @param waited whether the leader held the request for a freed permit and none came
 */
record AcquireAnswer(boolean granted, long epoch, Instant grantedAt, boolean waited) {

	static AcquireAnswer granted(long epoch, Instant grantedAt) {
		return new AcquireAnswer(true, epoch, grantedAt, false);
	}

	static AcquireAnswer refused(long epoch) {
		return new AcquireAnswer(false, epoch, null, false);
	}

	AcquireAnswer afterWaiting() {
		return new AcquireAnswer(this.granted, this.epoch, this.grantedAt, true);
	}

}
