package dev.hedge.replicator;

import java.time.Duration;
import java.util.Objects;

/**
 * How many members must confirm a read or write of replicated data before it returns, as in Pekko Distributed Data:
 * {@link #local()} (this member only: a write returns once applied here and spreads in the background; a read answers
 * from this member's replica), {@link #majority(Duration)} (more than half of the members this member knows,
 * itself included) or {@link #all(Duration)} (every member it knows). A write confirmed by a majority and a read from
 * a majority overlap in at least one member, so such a read sees the write, as long as the group's membership did not
 * change in between. The timeout bounds the whole operation; past it a {@link ReplicationTimeoutException} is thrown
 * (for a write, the update stays applied and keeps spreading). With durable replicated data
 * ({@code hedge.crdt.durable.enabled}), a member confirms a write only once it is in its durable snapshot. Immutable.
 *
 * @param level how many members
 * @param timeout how long the operation may take (ignored for {@link Level#LOCAL})
 */
public record Consistency(Level level, Duration timeout) {

	private static final Consistency LOCAL = new Consistency(Level.LOCAL, Duration.ZERO);

	/**
	 * Validates the consistency.
	 * @param level the level
	 * @param timeout the timeout, positive unless the level is {@link Level#LOCAL}
	 */
	public Consistency {
		Objects.requireNonNull(level, "level");
		Objects.requireNonNull(timeout, "timeout");
		if (level != Level.LOCAL && (timeout.isNegative() || timeout.isZero())) {
			throw new IllegalArgumentException("A " + level + " operation needs a positive timeout, got " + timeout);
		}
	}

	/**
	 * This member only.
	 * @return the consistency
	 */
	public static Consistency local() {
		return LOCAL;
	}

	/**
	 * More than half of the members.
	 * @param timeout how long the operation may take
	 * @return the consistency
	 */
	public static Consistency majority(Duration timeout) {
		return new Consistency(Level.MAJORITY, timeout);
	}

	/**
	 * Every member.
	 * @param timeout how long the operation may take
	 * @return the consistency
	 */
	public static Consistency all(Duration timeout) {
		return new Consistency(Level.ALL, timeout);
	}

	/**
	 * How many members (this one included) must confirm in a group of {@code members}.
	 * @param members the members this member knows, itself included (at least 1)
	 * @return 1, {@code members / 2 + 1} or {@code members}
	 */
	public int required(int members) {
		int size = Math.max(1, members);
		return switch (this.level) {
			case LOCAL -> 1;
			case MAJORITY -> size / 2 + 1;
			case ALL -> size;
		};
	}

	@Override
	public String toString() {
		return (this.level == Level.LOCAL) ? "LOCAL" : this.level + "(" + this.timeout + ")";
	}

	/** How many members confirm. */
	public enum Level {

		/** This member. */
		LOCAL,

		/** More than half of the members. */
		MAJORITY,

		/** Every member. */
		ALL

	}

}
