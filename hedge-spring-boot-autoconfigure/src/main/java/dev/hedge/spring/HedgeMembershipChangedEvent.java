package dev.hedge.spring;

import java.util.List;
import java.util.Set;

import org.springframework.context.ApplicationEvent;

import dev.hedge.membership.MembershipChange;

/**
 * Published once per change of this member's member list, with the ids added and removed. Published on hedge's
 * membership event thread, in order.
 */
public class HedgeMembershipChangedEvent extends ApplicationEvent {

	private static final long serialVersionUID = 1L;

	private final transient MembershipChange change;

	/**
	 * Creates the event.
	 * @param source the hedge node
	 * @param change the change
	 */
	public HedgeMembershipChangedEvent(Object source, MembershipChange change) {
		super(source);
		this.change = change;
	}

	/**
	 * Ids that joined.
	 * @return the ids
	 */
	public Set<String> getAdded() {
		return this.change.added();
	}

	/**
	 * Ids that left.
	 * @return the ids
	 */
	public Set<String> getRemoved() {
		return this.change.removed();
	}

	/**
	 * The member ids after the change.
	 * @return the ids
	 */
	public List<String> getMembers() {
		return this.change.view().members();
	}

}
