package dev.hedge.membership;

import java.util.List;

/**
 * This node's view of the group's members. Always on: every member heartbeats the leader; the leader keeps
 * last-seen times, removes members silent for longer than the member timeout, and pushes a versioned list to
 * everyone. Reads are answered from memory and are thread-safe.
 */
public interface Membership {

	/**
	 * The current view.
	 * @return the view
	 */
	MembershipView view();

	/**
	 * The current member ids, sorted (this node included).
	 * @return the ids
	 */
	default List<String> members() {
		return view().members();
	}

	/**
	 * Adds a listener.
	 * @param listener the listener
	 */
	void addListener(MembershipListener listener);

	/**
	 * Removes a listener.
	 * @param listener the listener
	 */
	void removeListener(MembershipListener listener);

}
