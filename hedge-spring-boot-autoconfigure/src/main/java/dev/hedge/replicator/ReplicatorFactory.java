package dev.hedge.replicator;

import java.time.Duration;

import dev.hedge.election.Leadership;
import dev.hedge.membership.Membership;
import dev.hedge.transport.grpc.GrpcLimits;
import dev.hedge.transport.grpc.PeerChannels;

/** Creates a member's {@link Replicator}. Stateless and thread-safe. */
public final class ReplicatorFactory {

	private ReplicatorFactory() {
	}

	/**
	 * Creates and starts the replicator of a member (its threads start; its service answers once bound).
	 * @param group the group (names the threads {@code hedge-<group>-crdt...})
	 * @param member this member's id ({@code host:port})
	 * @param leadership whether this member leads (it then prunes)
	 * @param membership the members replicated to
	 * @param channels the node's channels to them (carrying hedge's headers and authentication)
	 * @param limits the transport limits (messages stay under half the message limit)
	 * @param options the settings
	 * @param store where durable members keep their replica and the leader records prunings; null for neither
	 * @param storeTimeout the deadline of each store call
	 * @param observer hooks for metrics
	 * @return the running replicator
	 */
	public static Replicator start(String group, String member, Leadership leadership, Membership membership,
			PeerChannels channels, GrpcLimits limits, ReplicatorOptions options, ReplicaSnapshotStore store,
			Duration storeTimeout, ReplicatorObserver observer) {
		DefaultReplicator replicator = new DefaultReplicator(group, member, leadership, membership, channels, limits,
				options, store, storeTimeout, observer);
		replicator.start();
		return replicator;
	}

}
