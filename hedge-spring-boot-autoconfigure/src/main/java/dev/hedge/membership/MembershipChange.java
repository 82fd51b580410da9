package dev.hedge.membership;

import java.util.Set;

/**
 * A change of this node's member list.
 *
 * @param added ids that joined
 * @param removed ids that left
 * @param view the list after the change
 */
public record MembershipChange(Set<String> added, Set<String> removed, MembershipView view) {

	/**
	 * Copies the sets.
	 * @param added ids that joined
	 * @param removed ids that left
	 * @param view the list after the change
	 */
	public MembershipChange {
		added = Set.copyOf(added);
		removed = Set.copyOf(removed);
	}

}
