package dev.hedge.testsupport;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import io.grpc.MethodDescriptor;

/**
 * gRPC method descriptors whose requests and replies are raw bytes, for tests that talk to a member like a
 * misbehaving peer would (malformed messages, unknown methods). Stateless and thread-safe.
 */
public final class RawMethods {

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

	private RawMethods() {
	}

	/**
	 * A method that sends and receives raw bytes.
	 * @param fullMethod e.g. {@code hedge.v1.Messaging/Send}
	 * @param type unary or streaming
	 * @return the descriptor
	 */
	public static MethodDescriptor<byte[], byte[]> of(String fullMethod, MethodDescriptor.MethodType type) {
		return MethodDescriptor.<byte[], byte[]>newBuilder()
			.setType(type)
			.setFullMethodName(fullMethod)
			.setRequestMarshaller(BYTES)
			.setResponseMarshaller(BYTES)
			.build();
	}

}
