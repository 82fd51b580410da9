package dev.hedge.chain;

import java.util.Objects;

/**
 * One member of a chain: the hedge member's id ({@code host:port}), the incarnation of its chain data and whether
 * that data survives a restart. Immutable.
 *
 * <p>The incarnation names the contents of the member's {@link ChainStore}, not the process: a member with an
 * in-memory store gets a new incarnation at every start, one with a file-backed store keeps the incarnation written
 * beside the file for as long as the file exists. A chain position belongs to an (id, incarnation) pair, so a member
 * that restarted with empty memory is a new member (it catches up before it serves), while one that restarted on its
 * own durable file resumes its position.
 *
 * @param id the hedge member id ({@code host:port}); no whitespace
 * @param incarnation the incarnation of its chain data; no whitespace
 * @param durable whether its chain store survives a crash ({@link ChainStore#isDurable()})
 */
public record ChainMember(String id, String incarnation, boolean durable) {

	/**
	 * Validates the member.
	 * @param id the id
	 * @param incarnation the incarnation
	 * @param durable whether durable
	 * @throws IllegalArgumentException if the id or incarnation is blank or holds whitespace
	 */
	public ChainMember {
		check("id", id);
		check("incarnation", incarnation);
	}

	private static void check(String what, String value) {
		Objects.requireNonNull(value, what);
		if (value.isEmpty() || value.length() > 1024 || value.chars().anyMatch(Character::isWhitespace)) {
			throw new IllegalArgumentException("a chain member's " + what + " must be 1..1024 characters without"
					+ " whitespace (was '" + value + "')");
		}
	}

	/**
	 * Whether another member is the same chain position: same id and incarnation.
	 * @param other the other member
	 * @return whether it is the same
	 */
	public boolean sameAs(ChainMember other) {
		return other != null && this.id.equals(other.id) && this.incarnation.equals(other.incarnation);
	}

	@Override
	public String toString() {
		return this.id + "/" + this.incarnation.substring(0, Math.min(8, this.incarnation.length()))
				+ (this.durable ? "(durable)" : "");
	}

}
