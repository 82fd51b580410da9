package dev.hedge.replicator;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.grpc.Channel;

import dev.hedge.transport.grpc.PeerChannels;
import dev.hedge.transport.grpc.proto.ReplicatorGrpc;

/**
 * The replicator's client stubs to other members, always over the node's {@link PeerChannels} (so the member
 * authentication applies), dialing {@link ReplicatorOptions#peerAddress(String)}. Thread-safe.
 */
final class Stubs {

	private final PeerChannels channels;

	private final ReplicatorOptions options;

	Stubs(PeerChannels channels, ReplicatorOptions options) {
		this.channels = channels;
		this.options = options;
	}

	private Channel channel(String member) {
		return this.channels.channel(this.options.peerAddress(member));
	}

	ReplicatorGrpc.ReplicatorBlockingStub blocking(String member, Duration deadline) {
		return ReplicatorGrpc.newBlockingStub(channel(member)).withDeadlineAfter(deadline.toNanos(),
				TimeUnit.NANOSECONDS);
	}

	ReplicatorGrpc.ReplicatorStub async(String member, Duration deadline) {
		return ReplicatorGrpc.newStub(channel(member)).withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
	}

}
