package dev.hedge.messaging;

import java.util.Optional;

/** The member called does not lead (any more). Retryable: re-route to {@link #getLeaderHint()}. */
public class NotLeaderException extends MessagingException {

	private static final long serialVersionUID = 1L;

	private final String leaderHint;

	private final long epoch;

	/**
	 * Creates the exception.
	 * @param member the member that refused
	 * @param leaderHint the leader it named, or null
	 * @param epoch the epoch of that leader
	 */
	public NotLeaderException(String member, String leaderHint, long epoch) {
		super(member + " is not the leader" + ((leaderHint != null) ? " (leader: " + leaderHint + ")" : ""), true);
		this.leaderHint = leaderHint;
		this.epoch = epoch;
	}

	/**
	 * The leader the refusing member named.
	 * @return the leader, if it knew one
	 */
	public Optional<String> getLeaderHint() {
		return Optional.ofNullable(this.leaderHint);
	}

	/**
	 * The epoch of the named leader.
	 * @return the epoch
	 */
	public long getEpoch() {
		return this.epoch;
	}

}
