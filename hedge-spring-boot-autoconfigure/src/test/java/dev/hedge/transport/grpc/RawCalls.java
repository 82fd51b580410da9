package dev.hedge.transport.grpc;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;

/** Raw gRPC calls with arbitrary bytes and headers, to probe a member like a misbehaving peer would. */
public final class RawCalls implements AutoCloseable {

	private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
		@Override
		public InputStream stream(byte[] value) {
			return new ByteArrayInputStream(value);
		}

		@Override
		public byte[] parse(InputStream stream) {
			try {
				return stream.readAllBytes();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	};

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
		MethodDescriptor<byte[], byte[]> method = MethodDescriptor.<byte[], byte[]>newBuilder()
			.setType(MethodDescriptor.MethodType.UNARY)
			.setFullMethodName(fullMethod)
			.setRequestMarshaller(BYTES)
			.setResponseMarshaller(BYTES)
			.build();
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
