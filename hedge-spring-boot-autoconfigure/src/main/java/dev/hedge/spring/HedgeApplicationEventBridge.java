package dev.hedge.spring;

import org.springframework.context.ApplicationEventPublisher;

import dev.hedge.election.LeaderChange;
import dev.hedge.election.LeadershipEvent;
import dev.hedge.election.LeadershipListener;
import dev.hedge.membership.MembershipChange;
import dev.hedge.membership.MembershipListener;
import dev.hedge.replicator.ReplicatedDataChange;
import dev.hedge.replicator.ReplicatedDataListener;

/**
 * Publishes the node's leadership and membership callbacks as Spring application events:
 * {@link HedgeLeadershipEvent.Granted}, {@link HedgeLeadershipEvent.Revoked}, {@link HedgeLeaderChangedEvent} and
 * {@link HedgeMembershipChangedEvent}, and the replicated data's changes as {@link HedgeReplicatedDataChangedEvent}.
 * Called on hedge's event threads (one per kind, in order); publishes
 * synchronously on them, so a slow application listener delays later events of its kind, never the election.
 */
public class HedgeApplicationEventBridge implements LeadershipListener, MembershipListener, ReplicatedDataListener {

	private final Object source;

	private final ApplicationEventPublisher publisher;

	/**
	 * Creates the bridge.
	 * @param source the events' source (the node)
	 * @param publisher where to publish
	 */
	public HedgeApplicationEventBridge(Object source, ApplicationEventPublisher publisher) {
		this.source = source;
		this.publisher = publisher;
	}

	@Override
	public void onGranted(LeadershipEvent event) {
		this.publisher.publishEvent(new HedgeLeadershipEvent.Granted(this.source, event));
	}

	@Override
	public void onRevoked(LeadershipEvent event) {
		this.publisher.publishEvent(new HedgeLeadershipEvent.Revoked(this.source, event));
	}

	@Override
	public void onLeaderChanged(LeaderChange change) {
		this.publisher.publishEvent(new HedgeLeaderChangedEvent(this.source, change));
	}

	@Override
	public void onChange(MembershipChange change) {
		this.publisher.publishEvent(new HedgeMembershipChangedEvent(this.source, change));
	}

	@Override
	public void onChanged(ReplicatedDataChange change) {
		this.publisher.publishEvent(new HedgeReplicatedDataChangedEvent(this.source, change));
	}

}
