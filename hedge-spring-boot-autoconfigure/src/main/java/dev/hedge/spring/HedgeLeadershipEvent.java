package dev.hedge.spring;

import org.springframework.context.ApplicationEvent;

import dev.hedge.election.LeadershipEvent;

/**
 * Published when this member gains or loses leadership: {@link Granted} or {@link Revoked}, each with the epoch of
 * the term. Published on hedge's leadership event thread, in order, after {@code isLeader()} has changed.
 */
public abstract sealed class HedgeLeadershipEvent extends ApplicationEvent
		permits HedgeLeadershipEvent.Granted, HedgeLeadershipEvent.Revoked {

	private static final long serialVersionUID = 1L;

	private final transient LeadershipEvent event;

	HedgeLeadershipEvent(Object source, LeadershipEvent event) {
		super(source);
		this.event = event;
	}

	/**
	 * This member's id.
	 * @return the id
	 */
	public String getNodeId() {
		return this.event.nodeId();
	}

	/**
	 * The epoch of the term that began or ended.
	 * @return the epoch
	 */
	public long getEpoch() {
		return this.event.epoch();
	}

	/**
	 * The core event.
	 * @return the event
	 */
	public LeadershipEvent getLeadershipEvent() {
		return this.event;
	}

	/** This member became the leader. */
	public static final class Granted extends HedgeLeadershipEvent {

		private static final long serialVersionUID = 1L;

		/**
		 * Creates the event.
		 * @param source the hedge node
		 * @param event the core event
		 */
		public Granted(Object source, LeadershipEvent event) {
			super(source, event);
		}

	}

	/** This member stopped being the leader. */
	public static final class Revoked extends HedgeLeadershipEvent {

		private static final long serialVersionUID = 1L;

		/**
		 * Creates the event.
		 * @param source the hedge node
		 * @param event the core event
		 */
		public Revoked(Object source, LeadershipEvent event) {
			super(source, event);
		}

		/**
		 * Why the term ended.
		 * @return the reason
		 */
		public LeadershipEvent.RevokeReason getReason() {
			return getLeadershipEvent().reason();
		}

	}

}
