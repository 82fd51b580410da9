package dev.hedge.election;

import java.util.Objects;

/**
 * One lease row as the database saw it at the time of the read.
 *
 * @param holder id of the node holding (or last renewing) the lease; {@code null} when absent or released
 * @param incarnation the holder's incarnation (one per process start); {@code null} when absent or released
 * @param epoch the fencing epoch; 0 when no row exists
 * @param leaseMillis the lease length the holder promised
 * @param ageMillis database time elapsed since the last heartbeat (never a local clock)
 */
public record LeaseRecord(String holder, String incarnation, long epoch, long leaseMillis, long ageMillis) {

	private static final LeaseRecord ABSENT = new LeaseRecord(null, null, 0, 0, 0);

	/**
	 * No row.
	 * @return the absent record
	 */
	public static LeaseRecord absent() {
		return ABSENT;
	}

	/**
	 * Whether someone holds the row (it may still have expired).
	 * @return whether a holder is recorded
	 */
	public boolean held() {
		return this.holder != null;
	}

	/**
	 * Whether the lease is free: absent, released, or its last heartbeat is older than the promised lease plus
	 * {@code graceMillis} by the database clock. A negative age (clock oddities) never counts as expired.
	 * @param graceMillis the follower grace G
	 * @return whether a follower may take over
	 */
	public boolean expired(long graceMillis) {
		return this.holder == null || this.ageMillis > this.leaseMillis + graceMillis;
	}

	/**
	 * How long after this read, by the database clock, the lease is {@link #expired(long) expired} if nobody renews it
	 * meanwhile: 0 when it already is.
	 * @param graceMillis the follower grace G
	 * @return milliseconds
	 */
	public long millisUntilExpired(long graceMillis) {
		return expired(graceMillis) ? 0 : Math.max(0, this.leaseMillis + graceMillis - this.ageMillis + 1);
	}

	/**
	 * Whether the claim may take the lease: it is {@link #expired(long) expired}, or it is held by the claimant's own
	 * incarnation (a holder that stepped down on its own clock may take a new epoch at once: nobody else can hold it).
	 * @param claim the claim
	 * @return whether the takeover is allowed
	 */
	public boolean claimableBy(LeaseClaim claim) {
		return expired(claim.graceMillis()) || Objects.equals(this.incarnation, claim.incarnation());
	}

}
