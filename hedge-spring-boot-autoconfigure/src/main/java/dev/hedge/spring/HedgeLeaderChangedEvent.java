package dev.hedge.spring;

import java.util.Optional;

import org.springframework.context.ApplicationEvent;

import dev.hedge.election.LeaderChange;

/**
 * Published on every member, followers included, when the leader it knows of changes: another member (or this one)
 * leads in a new term, or none is known to lead. A follower learns of a new term at its next lease read, so the event
 * comes up to a poll interval ({@code hedge.election.poll-interval}) after the change; on the new leader it follows
 * {@link HedgeLeadershipEvent.Granted}. Published on hedge's leadership event thread, in order.
 */
public class HedgeLeaderChangedEvent extends ApplicationEvent {

	private static final long serialVersionUID = 1L;

	private final transient LeaderChange change;

	/**
	 * Creates the event.
	 * @param source the hedge node
	 * @param change the change
	 */
	public HedgeLeaderChangedEvent(Object source, LeaderChange change) {
		super(source);
		this.change = change;
	}

	/**
	 * The leader, if one is known.
	 * @return its member id
	 */
	public Optional<String> getLeaderId() {
		return this.change.leader();
	}

	/**
	 * The epoch of the leader's term (for "no leader", of the last term seen).
	 * @return the epoch
	 */
	public long getEpoch() {
		return this.change.epoch();
	}

	/**
	 * Whether this member is the leader.
	 * @return whether it leads
	 */
	public boolean isSelf() {
		return this.change.self();
	}

	/**
	 * The core change.
	 * @return the change
	 */
	public LeaderChange getChange() {
		return this.change;
	}

}
