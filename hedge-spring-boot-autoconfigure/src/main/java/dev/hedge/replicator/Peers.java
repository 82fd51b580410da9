package dev.hedge.replicator;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The replica id each member last used, as its calls and replies name it: how the pruning leader tells a restarted
 * member's previous incarnation (gone for good) from the running one. Thread-safe.
 */
final class Peers {

	private final Map<String, String> replicas = new ConcurrentHashMap<>();

	/** A member's call or reply named its replica. */
	void seen(String member, String replica) {
		if (member != null && !member.isEmpty() && replica != null && !replica.isEmpty()
				&& replica.length() <= Codec.MAX_REPLICA_ID) {
			this.replicas.put(member, replica);
		}
	}

	/** The replica a member last named. */
	Optional<String> replicaOf(String member) {
		return Optional.ofNullable(this.replicas.get(member));
	}

}
