package dev.hedge.membership;

/**
 * Told when this node's member list changes: exactly one call per change, carrying the ids added and removed.
 *
 * <p>Threading: calls run one at a time, in order, on {@code hedge-<group>-membership-events}. Exceptions are
 * logged and ignored.
 */
@FunctionalInterface
public interface MembershipListener {

	/**
	 * The member list changed.
	 * @param change what changed
	 */
	void onChange(MembershipChange change);

}
