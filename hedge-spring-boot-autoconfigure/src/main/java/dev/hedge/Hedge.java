package dev.hedge;

import java.util.List;
import java.util.Optional;

import dev.hedge.election.Leadership;
import dev.hedge.kv.KeyValueStore;
import dev.hedge.membership.Membership;
import dev.hedge.messaging.BroadcastOptions;
import dev.hedge.messaging.BroadcastResult;
import dev.hedge.messaging.Messenger;
import dev.hedge.semaphore.HedgeSemaphore;

/**
 * What a member of a hedge group can do. Every method is thread-safe; the state queries answer from memory.
 */
public interface Hedge {

	/**
	 * This member's id, {@code host:port} of its gRPC endpoint.
	 * @return the id
	 */
	String nodeId();

	/**
	 * The group (one per application; the lease row's name).
	 * @return the group
	 */
	String group();

	/**
	 * Leader election state and listeners.
	 * @return the leadership view
	 */
	Leadership leadership();

	/**
	 * The member list and its change events.
	 * @return the membership view
	 */
	Membership membership();

	/**
	 * Send-to-leader, broadcast and streams.
	 * @return the messenger
	 */
	Messenger messenger();

	/**
	 * The group's key/value log.
	 * @return the log
	 */
	KeyValueStore kv();

	/**
	 * Opens a group-wide semaphore, creating it with {@code limit} if it does not exist.
	 * @param name the name (any string)
	 * @param limit the limit
	 * @return the semaphore
	 * @throws dev.hedge.semaphore.SemaphoreLimitMismatchException if it exists with another limit
	 */
	HedgeSemaphore semaphore(String name, int limit);

	/**
	 * The spill-over stores of this member (records in memory, then disk, then other members).
	 * @return the spill-over store manager
	 */
	dev.hedge.sos.SpillOver spillOver();

	/**
	 * This member's replicated data: named CRDT values every member holds and updates locally (see
	 * {@link dev.hedge.replicator.Replicator}).
	 * @return the replicator
	 * @throws dev.hedge.common.NotRunningException before start
	 */
	dev.hedge.replicator.Replicator replicator();

	/**
	 * The replicated key/value map kept by chain replication (CRAQ) on the members ({@code hedge.chain.*}).
	 * @return the chain
	 */
	dev.hedge.chain.HedgeChain chain();

	/**
	 * Whether this member leads right now.
	 * @return see {@link Leadership#isLeader()}
	 */
	default boolean isLeader() {
		return leadership().isLeader();
	}

	/**
	 * The known leader.
	 * @return see {@link Leadership#leaderId()}
	 */
	default Optional<String> leaderId() {
		return leadership().leaderId();
	}

	/**
	 * The known epoch.
	 * @return see {@link Leadership#epoch()}
	 */
	default long epoch() {
		return leadership().epoch();
	}

	/**
	 * The current member ids.
	 * @return the ids, this member included
	 */
	default List<String> members() {
		return membership().members();
	}

	/**
	 * Sends to the leader's handler (one attempt, re-routed once on a NOT_LEADER hint).
	 * @param payload the message
	 * @return the reply
	 */
	default byte[] send(byte[] payload) {
		return messenger().send(payload);
	}

	/**
	 * Sends to the leader with the default retry policy.
	 * @param payload the message
	 * @return the reply
	 */
	default byte[] sendToLeader(byte[] payload) {
		return messenger().sendToLeader(payload);
	}

	/**
	 * Broadcasts to every member, this one included, and waits for all results.
	 * @param payload the message
	 * @return one result per member
	 */
	default List<BroadcastResult> broadcast(byte[] payload) {
		return messenger().broadcast(payload, BroadcastOptions.all());
	}

}
