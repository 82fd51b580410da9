package dev.hedge.membership;

import java.time.Duration;

/**
 * How long what the leader granted this member (semaphore permits) stays valid: a liveness session that a lapse ends
 * for good. The leader may declare this member dead, and reclaim what it holds, once it has not heard from it for the
 * member timeout {@code T}; so a grant is trusted only until the last acknowledged heartbeat's send time plus
 * {@code W = 0.99 (T - I)} ({@code I} the heartbeat interval), and never beyond the acknowledging leader's own
 * remaining lease (an ack is a leader-side effect: a leader whose term ends cannot vouch past it).
 *
 * <p>Once the validity has lapsed it never comes back: an ack that arrives after the validity it would extend ran out,
 * or after a gap in acknowledged send times longer than {@code W}, starts a new session, and everything granted in
 * the old one stays invalid (the leader may have reclaimed it meanwhile). This holds whether or not anyone looked at
 * the validity in between. All times are nanoseconds of one monotonic clock. Not thread-safe: the owner synchronises.
 */
final class HolderValidity {

	private final long window;

	private boolean acknowledged;

	private long lastAckSent;

	private long validUntil;

	private long session;

	/**
	 * Creates the tracker.
	 * @param options the member timeout and heartbeat interval
	 */
	HolderValidity(MembershipOptions options) {
		Duration window = options.memberTimeout().minus(options.heartbeatInterval());
		this.window = (long) (window.toNanos() * 0.99);
	}

	/**
	 * Records that the leader heard this member at (or after) {@code sent}.
	 * @param sent when the acknowledged heartbeat was sent
	 * @param leaseRemaining the acknowledging leader's remaining lease when it answered
	 * @param now when the acknowledgement arrived
	 */
	void acknowledged(long sent, Duration leaseRemaining, long now) {
		boolean fresh = !this.acknowledged;
		if (!fresh && (sent - this.lastAckSent > this.window || now - this.validUntil > 0)) {
			this.session++;
			fresh = true;
		}
		if (!this.acknowledged || sent - this.lastAckSent > 0) {
			this.lastAckSent = sent;
		}
		this.acknowledged = true;
		long until = sent + Math.min(this.window, Math.max(0, leaseRemaining.toNanos()));
		if (fresh || until - this.validUntil > 0) {
			this.validUntil = until;
		}
	}

	/**
	 * The current session: it changes whenever this member may have been declared dead.
	 * @return the session
	 */
	long session() {
		return this.session;
	}

	/**
	 * Until when something granted in {@code session} stays valid.
	 * @param session the session of the grant
	 * @return the deadline, or 0 if the session has ended or nothing was ever acknowledged
	 */
	long validUntil(long session) {
		return (session != this.session || !this.acknowledged) ? 0 : this.validUntil;
	}

}
