package dev.hedge.transport.grpc;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.grpc.ClientInterceptor;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

/**
 * One pooled, lazily connecting channel per peer (plaintext, or mutual TLS with {@link MemberTls}) ({@code host:port}); calls never dial per request.
 * Channels of peers that left are closed by {@link #retainOnly(Set)}; all are closed by {@link #close()}.
 *
 * <p>A channel whose peer was unreachable backs off between connection attempts (gRPC's exponential backoff reaches
 * 120 s). Members come back on the same address (a restarted pod keeps its id while its IP stays), so a channel in
 * {@code TRANSIENT_FAILURE} is told to reconnect at once when a call asks for it: reconnection attempts are bounded by
 * the callers' own rate (heartbeats, sends), and a restarted leader hears its members within a heartbeat instead of
 * after the backoff (the chaos suite saw 36 s). gRPC has no client handshake timeout, so a connection whose handshake
 * is never answered (a dropped SYN, a proxy whose upstream is gone, bytes lost by a middlebox during a partition)
 * would keep a channel connecting for as long as the kernel retries; a channel not ready {@link #REPLACE_AFTER}
 * after the call that started its connection, while callers keep asking for it, is therefore replaced by a new one
 * (a handshake between members takes milliseconds, so a second is ample; the calls buffered on the old channel fail
 * as {@code UNAVAILABLE}). After a partition heals, the first call a second or more after a connection attempt
 * started during the partition dials afresh. Thread-safe.
 */
public final class PeerChannels implements AutoCloseable {

	/** How long a channel may stay connecting (or failing) while in use before it is replaced. */
	static final Duration REPLACE_AFTER = Duration.ofSeconds(1);

	private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

	/**
	 * When each channel started connecting, as far as its callers saw (monotonic nanos): the last call that found it
	 * idle, or the first that found it not ready; absent while ready.
	 */
	private final Map<ManagedChannel, Long> notReadySince = new ConcurrentHashMap<>();

	private final GrpcLimits limits;

	private final ClientInterceptor headers;

	private final MemberTls tls;

	private volatile boolean closed;

	/**
	 * Creates a pool of plaintext channels.
	 * @param limits message limits applied to replies
	 * @param headers adds hedge's headers to every call
	 */
	public PeerChannels(GrpcLimits limits, ClientInterceptor headers) {
		this(limits, headers, null);
	}

	/**
	 * Creates the pool.
	 * @param limits message limits applied to replies
	 * @param headers adds hedge's headers to every call
	 * @param tls mutual TLS for every channel, or null for plaintext
	 */
	public PeerChannels(GrpcLimits limits, ClientInterceptor headers, MemberTls tls) {
		this.limits = limits;
		this.headers = headers;
		this.tls = tls;
	}

	/**
	 * The channel to a peer, created on first use.
	 * @param peer the peer's id ({@code host:port})
	 * @return the channel
	 * @throws IllegalStateException after {@link #close()}
	 */
	public ManagedChannel channel(String peer) {
		if (this.closed) {
			throw new IllegalStateException("peer channels are closed");
		}
		ManagedChannel channel = this.channels.computeIfAbsent(peer, this::open);
		ConnectivityState state = channel.getState(false);
		if (state == ConnectivityState.READY) {
			this.notReadySince.remove(channel);
			return channel;
		}
		long now = System.nanoTime();
		if (state == ConnectivityState.IDLE) {
			// the caller's call starts a connection attempt now
			this.notReadySince.put(channel, now);
			return channel;
		}
		long since = this.notReadySince.computeIfAbsent(channel, (c) -> now);
		boolean stuck = state == ConnectivityState.SHUTDOWN || now - since > REPLACE_AFTER.toNanos();
		if (stuck && this.channels.remove(peer, channel)) {
			this.notReadySince.remove(channel);
			channel.shutdownNow();
			return channel(peer);
		}
		if (state == ConnectivityState.TRANSIENT_FAILURE) {
			channel.resetConnectBackoff();
		}
		return channel;
	}

	private ManagedChannel open(String peer) {
		NettyChannelBuilder builder;
		if (this.tls != null) {
			builder = NettyChannelBuilder.forTarget(peer, this.tls.channelCredentials());
			if (this.tls.serverName() != null) {
				builder.overrideAuthority(this.tls.serverName());
			}
		}
		else {
			builder = NettyChannelBuilder.forTarget(peer).usePlaintext();
		}
		return builder.maxInboundMessageSize(this.limits.maxMessageBytes())
			.maxInboundMetadataSize(this.limits.maxMetadataBytes())
			.keepAliveTime(30, TimeUnit.SECONDS)
			.keepAliveTimeout(10, TimeUnit.SECONDS)
			.idleTimeout(5, TimeUnit.MINUTES)
			.intercept(this.headers)
			.build();
	}

	/**
	 * Closes the channels of peers not in the given set.
	 * @param peers the peers to keep
	 */
	public void retainOnly(Set<String> peers) {
		for (String peer : Set.copyOf(this.channels.keySet())) {
			if (!peers.contains(peer)) {
				ManagedChannel channel = this.channels.remove(peer);
				if (channel != null) {
					this.notReadySince.remove(channel);
					channel.shutdown();
				}
			}
		}
	}

	/**
	 * How many channels are open.
	 * @return the count
	 */
	public int size() {
		return this.channels.size();
	}

	@Override
	public void close() {
		this.closed = true;
		for (ManagedChannel channel : this.channels.values()) {
			channel.shutdown();
		}
		for (ManagedChannel channel : this.channels.values()) {
			try {
				if (!channel.awaitTermination(2, TimeUnit.SECONDS)) {
					channel.shutdownNow();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				channel.shutdownNow();
			}
		}
		this.channels.clear();
		this.notReadySince.clear();
	}

}
