package dev.hedge.membership;

import java.util.Optional;

import dev.hedge.election.Leadership;

/**
 * Where to send leader-bound calls, from memory only (never a store read): this node while it leads; otherwise the
 * leader of the highest epoch known from the election's last poll, from member lists the leader pushed, or from
 * NOT_LEADER answers. Hints only route calls; the leader itself still refuses calls when it does not lead.
 * Thread-safe.
 */
public final class LeaderRouter {

	private final String self;

	private final Leadership leadership;

	private volatile Hint hint = new Hint(null, 0);

	/**
	 * Creates a router.
	 * @param self this node's id
	 * @param leadership the election state
	 */
	public LeaderRouter(String self, Leadership leadership) {
		this.self = self;
		this.leadership = leadership;
	}

	/**
	 * The leader to call.
	 * @return the leader's id (this node's id while it leads), or empty when no leader is known
	 */
	public Optional<String> leader() {
		if (this.leadership.isLeader()) {
			return Optional.of(this.self);
		}
		Optional<String> elected = this.leadership.leaderId();
		Hint current = this.hint;
		if (current.leader != null && !current.leader.equals(this.self)
				&& (elected.isEmpty() || current.epoch > this.leadership.epoch())) {
			return Optional.of(current.leader);
		}
		return elected;
	}

	/**
	 * The highest epoch known.
	 * @return the epoch
	 */
	public long epoch() {
		return Math.max(this.leadership.epoch(), this.hint.epoch);
	}

	/**
	 * Records a hint; ignored unless its epoch is at least the highest known.
	 * @param leader the leader named by a peer
	 * @param epoch the epoch it named
	 */
	public void hint(String leader, long epoch) {
		if (leader == null || leader.isBlank() || epoch < epoch()) {
			return;
		}
		this.hint = new Hint(leader, epoch);
	}

	/**
	 * This node's id.
	 * @return the id
	 */
	public String self() {
		return this.self;
	}

	private record Hint(String leader, long epoch) {

	}

}
