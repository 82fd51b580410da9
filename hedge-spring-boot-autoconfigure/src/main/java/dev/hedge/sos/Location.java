package dev.hedge.sos;

/**
 * Where a run of records is: this member's memory or disk tier, or a segment on a peer.
 *
 * @param kind the kind of place
 * @param member the peer (PEER only)
 * @param segment the origin's number of the peer segment (PEER only)
 */
record Location(Kind kind, String member, long segment) {

	static final Location MEMORY = new Location(Kind.MEMORY, null, 0);

	static final Location DISK = new Location(Kind.DISK, null, 0);

	static Location peer(String member, long segment) {
		return new Location(Kind.PEER, member, segment);
	}

	enum Kind {

		MEMORY, DISK, PEER

	}

}
