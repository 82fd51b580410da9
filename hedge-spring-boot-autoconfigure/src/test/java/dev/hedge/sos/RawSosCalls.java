package dev.hedge.sos;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;

import dev.hedge.testsupport.RawMethods;

/** Raw gRPC streams with arbitrary bytes, to probe the SoS service like a misbehaving peer would. */
final class RawSosCalls implements AutoCloseable {

	private final ManagedChannel channel;

	RawSosCalls(String target) {
		this.channel = NettyChannelBuilder.forTarget(target)
			.usePlaintext()
			.maxInboundMessageSize(64 << 20)
			.build();
	}

	/**
	 * Opens a stream of any kind; requests are raw message bytes.
	 * @param method e.g. {@code hedge.v1.SpillOver/Write}
	 * @param headers the metadata
	 * @return the stream
	 */
	Stream open(String method, Metadata headers) {
		MethodDescriptor<byte[], byte[]> descriptor = RawMethods.of(method, MethodDescriptor.MethodType.BIDI_STREAMING);
		ClientCall<byte[], byte[]> call = ClientInterceptors
			.intercept(this.channel, MetadataUtils.newAttachHeadersInterceptor(headers))
			.newCall(descriptor, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS));
		Stream stream = new Stream(call);
		call.start(stream.listener, new Metadata());
		call.request(Integer.MAX_VALUE);
		return stream;
	}

	@Override
	public void close() {
		this.channel.shutdownNow();
	}

	/** One raw call. */
	static final class Stream {

		final List<byte[]> replies = new CopyOnWriteArrayList<>();

		private final ClientCall<byte[], byte[]> call;

		private final CountDownLatch closed = new CountDownLatch(1);

		private volatile Status status;

		final ClientCall.Listener<byte[]> listener = new ClientCall.Listener<>() {
			@Override
			public void onMessage(byte[] message) {
				Stream.this.replies.add(message);
			}

			@Override
			public void onClose(Status status, Metadata trailers) {
				Stream.this.status = status;
				Stream.this.closed.countDown();
			}
		};

		Stream(ClientCall<byte[], byte[]> call) {
			this.call = call;
		}

		Stream send(byte[] message) {
			this.call.sendMessage(message);
			return this;
		}

		Stream halfClose() {
			this.call.halfClose();
			return this;
		}

		void cancel() {
			this.call.cancel("cut by the test", null);
		}

		boolean isReady() {
			return this.call.isReady();
		}

		boolean isClosed() {
			return this.closed.getCount() == 0;
		}

		/** Waits for the end of the call. */
		Status await() {
			try {
				if (!this.closed.await(30, TimeUnit.SECONDS)) {
					throw new AssertionError("call did not end");
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
			return this.status;
		}

	}

}
