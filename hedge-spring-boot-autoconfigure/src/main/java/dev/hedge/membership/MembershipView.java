package dev.hedge.membership;

import java.util.List;

/**
 * One member list, as published by the leader of {@code epoch} (plus this node itself, which is always a member of
 * its own view). Views are ordered by {@code (epoch, version)}. Immutable.
 *
 * @param epoch the epoch of the leader that published it (0 before any)
 * @param version the leader's version counter within that epoch
 * @param leader the publishing leader's id, or {@code null} before any list arrived
 * @param members the member ids, sorted
 */
public record MembershipView(long epoch, long version, String leader, List<String> members) {

	/**
	 * Copies the member list.
	 * @param epoch the epoch
	 * @param version the version
	 * @param leader the leader
	 * @param members the members
	 */
	public MembershipView {
		members = List.copyOf(members);
	}

	/**
	 * Whether this view is newer than another.
	 * @param other the other view
	 * @return whether {@code (epoch, version)} is greater
	 */
	public boolean newerThan(MembershipView other) {
		return this.epoch > other.epoch || (this.epoch == other.epoch && this.version > other.version);
	}

	/**
	 * Whether a node is a member.
	 * @param id the node id
	 * @return whether it is listed
	 */
	public boolean contains(String id) {
		return this.members.contains(id);
	}

}
