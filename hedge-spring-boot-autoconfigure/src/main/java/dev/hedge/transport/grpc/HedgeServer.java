package dev.hedge.transport.grpc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;

/**
 * hedge's own gRPC server, for nodes that run outside Spring (with Spring, the application's Spring gRPC server
 * serves the same services). HTTP/2 on Netty, plaintext or mutual TLS ({@link MemberTls}: a client certificate is
 * required), with hedge's size and concurrency limits; no reflection.
 * Garbage on the port fails the HTTP/2 preface and Netty closes that connection; other connections are unaffected.
 * Netty's threads are owned by the server and stop in {@link #close(Duration)}.
 */
public final class HedgeServer {

	private final Server server;

	private HedgeServer(Server server) {
		this.server = server;
	}

	/**
	 * Starts a server.
	 * @param host the address to bind ({@code 0.0.0.0} for all)
	 * @param port the port, 0 for any free port
	 * @param services the services (already wrapped with hedge's interceptors)
	 * @param limits the limits
	 * @param tls mutual TLS, or null for plaintext
	 * @return the started server
	 */
	public static HedgeServer start(String host, int port, List<ServerServiceDefinition> services, GrpcLimits limits,
			MemberTls tls) {
		InetSocketAddress address = new InetSocketAddress(host, port);
		NettyServerBuilder builder = ((tls != null) ? NettyServerBuilder.forAddress(address, tls.serverCredentials())
				: NettyServerBuilder.forAddress(address))
			.maxInboundMessageSize(limits.maxMessageBytes())
			.maxInboundMetadataSize(limits.maxMetadataBytes())
			.maxConcurrentCallsPerConnection(limits.maxConcurrentCallsPerConnection())
			.permitKeepAliveTime(10, TimeUnit.SECONDS)
			.permitKeepAliveWithoutCalls(true)
			// a connection that has not completed the HTTP/2 handshake within 5 s is closed (slowloris); gRPC's
			// default waits 120 s
			.handshakeTimeout(5, TimeUnit.SECONDS)
			.maxConnectionIdle(10, TimeUnit.MINUTES);
		services.forEach(builder::addService);
		try {
			return new HedgeServer(builder.build().start());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not start the hedge gRPC server on " + host + ":" + port, ex);
		}
	}

	/**
	 * The bound port.
	 * @return the port
	 */
	public int port() {
		return this.server.getPort();
	}

	/**
	 * Stops accepting calls, lets running calls finish for up to {@code grace}, then cancels the rest.
	 * @param grace how long running calls may take
	 */
	public void close(Duration grace) {
		this.server.shutdown();
		try {
			if (!this.server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
				this.server.shutdownNow();
				this.server.awaitTermination(2, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.server.shutdownNow();
		}
	}

}
