package dev.hedge.replicator;

import java.security.SecureRandom;

import dev.hedge.crdt.ORMap;

/** Checks of value names, and the replica ids of members: {@code memberId#incarnation}. */
final class Names {

	/** Longest name of a replicated value, in characters. */
	static final int MAX_LENGTH = 512;

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final String PRUNED_SLOT = ORMap.prunedSlotOf("");

	private Names() {
	}

	static String check(String name) {
		if (name == null || name.isEmpty() || name.length() > MAX_LENGTH) {
			throw new IllegalArgumentException("A replicated value's name must have 1.." + MAX_LENGTH + " characters");
		}
		return name;
	}

	/** A new replica id for a process of {@code member}: unique per process lifetime. */
	static String newReplica(String member) {
		return member + "#" + Long.toString(RANDOM.nextLong() >>> 23, 36);
	}

	/**
	 * The member id of a replica id ({@code host:port#incarnation}, or a map's pruned slot of one), or null when the
	 * id has no member part.
	 */
	static String memberOf(String replica) {
		String id = owner(replica);
		int hash = id.lastIndexOf('#');
		return (hash > 0) ? id.substring(0, hash) : null;
	}

	/** The replica a map's pruned slot belongs to ({@code x/pruned} is x's), else the id itself. */
	static String owner(String replica) {
		String id = replica;
		while (id.endsWith(PRUNED_SLOT) && id.length() > PRUNED_SLOT.length()) {
			id = id.substring(0, id.length() - PRUNED_SLOT.length());
		}
		return id;
	}

}
