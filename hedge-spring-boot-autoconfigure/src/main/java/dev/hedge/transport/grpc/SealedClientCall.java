package dev.hedge.transport.grpc;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.Function;

import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;

/**
 * A client call signed with the {@link GroupSecret}: the headers are completed and signed at start, each request is
 * serialized and sealed ({@link CallSeal}), and each reply is checked before it is parsed and delivered; a reply
 * that fails its check cancels the call, which then ends with {@code UNAUTHENTICATED}. On the wire the call carries
 * opaque frames (its method is rebuilt with byte-array marshallers). Follows {@link ClientCall}'s threading rules.
 */
final class SealedClientCall<Q, A> extends ClientCall<Q, A> {

	/** Frames are passed through as they are. */
	static final MethodDescriptor.Marshaller<byte[]> FRAMES = new MethodDescriptor.Marshaller<>() {
		@Override
		public InputStream stream(byte[] value) {
			return new ByteArrayInputStream(value);
		}

		@Override
		public byte[] parse(InputStream stream) {
			return readAll(stream);
		}
	};

	private final MethodDescriptor<Q, A> method;

	private final ClientCall<byte[], byte[]> delegate;

	private final GroupSecret secret;

	private final Function<Metadata, GroupSecret.CallFields> headers;

	private volatile CallSeal seal;

	private volatile Status refused;

	/**
	 * @param headers completes a call's headers and says what it claims
	 */
	SealedClientCall(MethodDescriptor<Q, A> method, CallOptions options, Channel next, GroupSecret secret,
			Function<Metadata, GroupSecret.CallFields> headers) {
		this.method = method;
		this.delegate = next.newCall(method.toBuilder(FRAMES, FRAMES).build(), options);
		this.secret = secret;
		this.headers = headers;
	}

	@Override
	public void start(Listener<A> listener, Metadata metadata) {
		GroupSecret.Signed signed = this.secret.sign(this.headers.apply(metadata));
		metadata.put(HedgeHeaders.AUTH, signed.header());
		this.seal = signed.seal();
		this.delegate.start(new Listener<>() {
			@Override
			public void onHeaders(Metadata replyHeaders) {
				listener.onHeaders(replyHeaders);
			}

			@Override
			public void onMessage(byte[] frame) {
				if (SealedClientCall.this.refused != null) {
					return;
				}
				A reply;
				try {
					reply = SealedClientCall.this.method
						.parseResponse(new ByteArrayInputStream(SealedClientCall.this.seal.open(frame)));
				}
				catch (GroupSecret.Refused ex) {
					SealedClientCall.this.refused = Status.UNAUTHENTICATED
						.withDescription("reply failed its group-secret check: " + ex.getMessage());
					SealedClientCall.this.delegate.cancel("reply not authenticated", null);
					return;
				}
				listener.onMessage(reply);
			}

			@Override
			public void onClose(Status status, Metadata trailers) {
				Status refusal = SealedClientCall.this.refused;
				listener.onClose((refusal != null) ? refusal : status, trailers);
			}

			@Override
			public void onReady() {
				listener.onReady();
			}
		}, metadata);
	}

	@Override
	public void sendMessage(Q message) {
		this.delegate.sendMessage(this.seal.seal(readAll(this.method.streamRequest(message))));
	}

	@Override
	public void request(int count) {
		this.delegate.request(count);
	}

	@Override
	public void cancel(String message, Throwable cause) {
		this.delegate.cancel(message, cause);
	}

	@Override
	public void halfClose() {
		this.delegate.halfClose();
	}

	@Override
	public boolean isReady() {
		return this.delegate.isReady();
	}

	@Override
	public void setMessageCompression(boolean enabled) {
		this.delegate.setMessageCompression(enabled);
	}

	@Override
	public Attributes getAttributes() {
		return this.delegate.getAttributes();
	}

	static byte[] readAll(InputStream stream) {
		try (stream) {
			return stream.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
