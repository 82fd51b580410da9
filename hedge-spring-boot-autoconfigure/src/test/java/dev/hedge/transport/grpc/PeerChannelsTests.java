package dev.hedge.transport.grpc;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.Test;

import dev.hedge.testsupport.Ports;
import dev.hedge.transport.grpc.proto.HeartbeatReply;
import dev.hedge.transport.grpc.proto.HeartbeatRequest;
import dev.hedge.transport.grpc.proto.MembershipGrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link PeerChannels} against a real gRPC server on loopback that is down for a while and comes back on
 * the same port, as a restarted member does.
 */
class PeerChannelsTests {

	private static final ClientInterceptor NO_HEADERS = new ClientInterceptor() {
		@Override
		public <Q, A> io.grpc.ClientCall<Q, A> interceptCall(io.grpc.MethodDescriptor<Q, A> method,
				io.grpc.CallOptions options, io.grpc.Channel next) {
			return next.newCall(method, options);
		}
	};

	@Test
	void aPeerBackOnItsAddressIsReachedByTheFirstCallAfterItsReturnDespiteEarlierFailures() throws Exception {
		int port = Ports.free();
		String peer = "127.0.0.1:" + port;
		try (PeerChannels channels = new PeerChannels(new GrpcLimits(1 << 20, 8 << 10, 100), NO_HEADERS)) {
			// fail for 20 s: gRPC's backoff between connection attempts grows (1 s, 1.6 s, 2.6 s, 4.1 s, 6.6 s, 10.5 s
			// with jitter), so without a reset the next attempt is typically seconds after the peer's return
			long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
			int failures = 0;
			while (System.nanoTime() < until) {
				if (!heartbeat(channels.channel(peer))) {
					failures++;
				}
				Thread.sleep(100);
			}
			assertThat(failures).isPositive();
			Server server = NettyServerBuilder.forPort(port).addService(new MembershipGrpc.MembershipImplBase() {
				@Override
				public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatReply> responses) {
					responses.onNext(HeartbeatReply.getDefaultInstance());
					responses.onCompleted();
				}
			}).build().start();
			try {
				// heartbeats every 100 ms: one must get through within a second, long before gRPC's backoff ends
				long started = System.nanoTime();
				boolean reached = false;
				while (!reached && System.nanoTime() - started < Duration.ofSeconds(20).toNanos()) {
					reached = heartbeat(channels.channel(peer));
					Thread.sleep(reached ? 0 : 100);
				}
				long tookMillis = (System.nanoTime() - started) / 1_000_000;
				assertThat(tookMillis).as("a call within a second of the peer's return").isLessThan(1000);
			}
			finally {
				server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
			}
		}
	}

	@Test
	void aConnectionAcceptedButNeverAnsweredDoesNotWedgeThePeersChannel() throws Exception {
		int port = Ports.free();
		String peer = "127.0.0.1:" + port;
		List<Socket> accepted = new CopyOnWriteArrayList<>();
		long dialed;
		try (PeerChannels channels = new PeerChannels(new GrpcLimits(1 << 20, 8 << 10, 100), NO_HEADERS)) {
			// a listener that accepts and never answers (a proxy whose upstream is gone): the HTTP/2 handshake hangs
			try (ServerSocket silent = new ServerSocket()) {
				silent.setReuseAddress(true);
				silent.bind(new InetSocketAddress("127.0.0.1", port));
				Thread acceptor = new Thread(() -> {
					try {
						while (true) {
							accepted.add(silent.accept());
						}
					}
					catch (IOException ex) {
						// closed
					}
				}, "silent-acceptor");
				acceptor.setDaemon(true);
				acceptor.start();
				dialed = System.nanoTime();
				assertThat(heartbeat(channels.channel(peer), Duration.ofMillis(200))).isFalse();
				await().atMost(Duration.ofSeconds(5)).until(() -> !accepted.isEmpty());
			}
			// the real peer comes back on the port while the silent connection stays open
			Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
				.addService(new MembershipGrpc.MembershipImplBase() {
					@Override
					public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatReply> responses) {
						responses.onNext(HeartbeatReply.getDefaultInstance());
						responses.onCompleted();
					}
				})
				.build()
				.start();
			try {
				// the channel dialed into the silent listener is replaced by the first call a second after it dialed
				await().atMost(PeerChannels.REPLACE_AFTER.plusSeconds(10))
					.pollInterval(Duration.ofMillis(100))
					.until(() -> heartbeat(channels.channel(peer), Duration.ofMillis(200)));
				assertThat(Duration.ofNanos(System.nanoTime() - dialed))
					.isLessThan(PeerChannels.REPLACE_AFTER.plusMillis(1500));
			}
			finally {
				server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
				for (Socket socket : accepted) {
					socket.close();
				}
			}
		}
	}

	private static boolean heartbeat(ManagedChannel channel) {
		return heartbeat(channel, Duration.ofSeconds(2));
	}

	private static boolean heartbeat(ManagedChannel channel, Duration deadline) {
		try {
			MembershipGrpc.newBlockingStub(channel)
				.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS)
				.heartbeat(HeartbeatRequest.getDefaultInstance());
			return true;
		}
		catch (StatusRuntimeException ex) {
			return false;
		}
	}

}
