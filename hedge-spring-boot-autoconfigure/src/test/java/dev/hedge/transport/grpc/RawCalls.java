package dev.hedge.transport.grpc;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;

import dev.hedge.testsupport.RawMethods;

/** Raw gRPC calls with arbitrary bytes and headers, to probe a member like a misbehaving peer would. */
public final class RawCalls implements AutoCloseable {

	private final ManagedChannel channel;

	public RawCalls(String target) {
		this.channel = NettyChannelBuilder.forTarget(target).usePlaintext().maxInboundMessageSize(64 << 20).build();
	}

	public static Metadata headers(String group, String sender, String epoch) {
		Metadata headers = new Metadata();
		if (group != null) {
			headers.put(HedgeHeaders.GROUP, group.getBytes(StandardCharsets.UTF_8));
		}
		if (sender != null) {
			headers.put(HedgeHeaders.SENDER, sender);
		}
		if (epoch != null) {
			headers.put(HedgeHeaders.EPOCH, epoch);
		}
		return headers;
	}

	/**
	 * Calls a unary method with raw request bytes.
	 * @param fullMethod e.g. {@code hedge.v1.Messaging/Send}
	 * @param request the bytes sent as the request message
	 * @param headers the metadata
	 * @return the raw reply
	 */
	public byte[] unary(String fullMethod, byte[] request, Metadata headers) {
		MethodDescriptor<byte[], byte[]> method = RawMethods.of(fullMethod, MethodDescriptor.MethodType.UNARY);
		io.grpc.Channel withHeaders = io.grpc.ClientInterceptors.intercept(this.channel,
				MetadataUtils.newAttachHeadersInterceptor(headers));
		return ClientCalls.blockingUnaryCall(withHeaders, method,
				CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), request);
	}

	@Override
	public void close() {
		this.channel.shutdownNow();
	}

}
