package dev.hedge.messaging;

import java.time.Duration;
import java.util.Set;

/**
 * Options of one broadcast. Immutable.
 *
 * @param skipSelf whether to leave this node out
 * @param onlySendTo when not empty, send only to these members (intersected with the current member list; unknown
 * ids are ignored)
 * @param timeout deadline of each member's call
 */
public record BroadcastOptions(boolean skipSelf, Set<String> onlySendTo, Duration timeout) {

	/**
	 * Copies the set.
	 * @param skipSelf leave this node out
	 * @param onlySendTo targets filter
	 * @param timeout per-member deadline (null for the messaging default)
	 */
	public BroadcastOptions {
		onlySendTo = (onlySendTo != null) ? Set.copyOf(onlySendTo) : Set.of();
	}

	/**
	 * Every member, this node included, with the default deadline.
	 * @return the options
	 */
	public static BroadcastOptions all() {
		return new BroadcastOptions(false, Set.of(), null);
	}

	/**
	 * These options without this node.
	 * @return new options
	 */
	public BroadcastOptions skippingSelf() {
		return new BroadcastOptions(true, this.onlySendTo, this.timeout);
	}

	/**
	 * These options restricted to some members.
	 * @param members the members
	 * @return new options
	 */
	public BroadcastOptions onlyTo(Set<String> members) {
		return new BroadcastOptions(this.skipSelf, members, this.timeout);
	}

	/**
	 * These options with another per-member deadline.
	 * @param deadline the deadline
	 * @return new options
	 */
	public BroadcastOptions withTimeout(Duration deadline) {
		return new BroadcastOptions(this.skipSelf, this.onlySendTo, deadline);
	}

}
