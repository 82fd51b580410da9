package dev.hedge.transport.grpc;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import io.grpc.Attributes;
import io.grpc.BindableService;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;

/**
 * A service that exists before the node it serves has started: a server (hedge's own, or the application's Spring
 * gRPC server) can register it at once, calls are answered with a retryable NOT_READY until {@link #bind} is called,
 * and are then handed to the real implementation. Every call first passes hedge's {@link CallGate} (authentication,
 * group, sender); with a group secret its messages are unsealed and its replies sealed here ({@link CallSeal}). A
 * request whose bytes are not a valid message is refused with INVALID_ARGUMENT instead of gRPC's INTERNAL.
 * Thread-safe.
 */
public final class LateBoundService implements BindableService {

	private final ServiceDescriptor descriptor;

	private final String group;

	private volatile Bound target;

	/**
	 * Creates an unbound service.
	 * @param descriptor the service's descriptor (e.g. {@code MessagingGrpc.getServiceDescriptor()})
	 * @param group the node's group, checked on every call
	 */
	public LateBoundService(ServiceDescriptor descriptor, String group) {
		this.descriptor = descriptor;
		this.group = group;
	}

	/**
	 * Starts handing calls to the implementation.
	 * @param implementation the real service
	 * @param security how callers must authenticate
	 */
	public void bind(BindableService implementation, MemberSecurity security) {
		ServerServiceDefinition definition = implementation.bindService();
		if (!definition.getServiceDescriptor().getName().equals(this.descriptor.getName())) {
			throw new IllegalArgumentException("expected " + this.descriptor.getName());
		}
		this.target = new Bound(definition, new CallGate(this.group, security));
	}

	/** Goes back to answering NOT_READY (used when the node closes). */
	public void unbind() {
		this.target = null;
	}

	/**
	 * The service's name, e.g. {@code hedge.v1.Messaging}.
	 * @return the name
	 */
	public String name() {
		return this.descriptor.getName();
	}

	@Override
	public ServerServiceDefinition bindService() {
		ServiceDescriptor.Builder framed = ServiceDescriptor.newBuilder(this.descriptor.getName());
		List<MethodDescriptor<byte[], Object>> methods = new ArrayList<>();
		for (MethodDescriptor<?, ?> method : this.descriptor.getMethods()) {
			MethodDescriptor<byte[], Object> raw = framed(method);
			framed.addMethod(raw);
			methods.add(raw);
		}
		ServerServiceDefinition.Builder builder = ServerServiceDefinition.builder(framed.build());
		List<? extends MethodDescriptor<?, ?>> originals = List.copyOf(this.descriptor.getMethods());
		for (int i = 0; i < methods.size(); i++) {
			addDelegating(builder, originals.get(i), methods.get(i));
		}
		return builder.build();
	}

	/** The method with requests taken as bytes (parsed after the gate) and replies given as messages or frames. */
	private static <Q, A> MethodDescriptor<byte[], Object> framed(MethodDescriptor<Q, A> method) {
		MethodDescriptor.Marshaller<Object> replies = new MethodDescriptor.Marshaller<>() {
			@Override
			@SuppressWarnings("unchecked")
			public InputStream stream(Object value) {
				return (value instanceof byte[] frame) ? new ByteArrayInputStream(frame)
						: method.streamResponse((A) value);
			}

			@Override
			public Object parse(InputStream stream) {
				return method.parseResponse(stream);
			}
		};
		return method.toBuilder(SealedClientCall.FRAMES, replies).build();
	}

	private <Q, A> void addDelegating(ServerServiceDefinition.Builder builder, MethodDescriptor<Q, A> method,
			MethodDescriptor<byte[], Object> raw) {
		builder.addMethod(raw, (call, headers) -> {
			Bound bound = this.target;
			ServerMethodDefinition<?, ?> definition = (bound != null)
					? bound.definition.getMethod(method.getFullMethodName()) : null;
			if (definition == null) {
				call.close(Status.UNAVAILABLE.withDescription("hedge member not started"),
						Failure.trailers(Failure.Kind.NOT_READY, null, 0));
				return new ServerCall.Listener<>() {
				};
			}
			CallGate.Admitted admitted = bound.gate.admit(call, headers);
			if (admitted == null) {
				return new ServerCall.Listener<>() {
				};
			}
			@SuppressWarnings("unchecked")
			ServerCallHandler<Q, A> handler = (ServerCallHandler<Q, A>) definition.getServerCallHandler();
			TypedCall<Q, A> typed = new TypedCall<>(call, method, admitted.seal());
			Context context = HedgeHeaders.withCaller(admitted.caller());
			ServerCall.Listener<Q> inner = Contexts.interceptCall(context, typed, headers, handler);
			return new FramesListener<>(call, method, admitted.seal(), inner);
		});
	}

	private record Bound(ServerServiceDefinition definition, CallGate gate) {
	}

	/** The call as the service sees it: typed replies, sealed on their way out when the group has a secret. */
	private static final class TypedCall<Q, A> extends ServerCall<Q, A> {

		private final ServerCall<byte[], Object> call;

		private final MethodDescriptor<Q, A> method;

		private final CallSeal seal;

		TypedCall(ServerCall<byte[], Object> call, MethodDescriptor<Q, A> method, CallSeal seal) {
			this.call = call;
			this.method = method;
			this.seal = seal;
		}

		@Override
		public void sendMessage(A message) {
			this.call.sendMessage((this.seal != null)
					? this.seal.seal(SealedClientCall.readAll(this.method.streamResponse(message))) : message);
		}

		@Override
		public void request(int count) {
			this.call.request(count);
		}

		@Override
		public void sendHeaders(Metadata headers) {
			this.call.sendHeaders(headers);
		}

		@Override
		public void close(Status status, Metadata trailers) {
			this.call.close(status, trailers);
		}

		@Override
		public boolean isCancelled() {
			return this.call.isCancelled();
		}

		@Override
		public boolean isReady() {
			return this.call.isReady();
		}

		@Override
		public void setOnReadyThreshold(int bytes) {
			this.call.setOnReadyThreshold(bytes);
		}

		@Override
		public void setMessageCompression(boolean enabled) {
			this.call.setMessageCompression(enabled);
		}

		@Override
		public void setCompression(String compressor) {
			this.call.setCompression(compressor);
		}

		@Override
		public Attributes getAttributes() {
			return this.call.getAttributes();
		}

		@Override
		public String getAuthority() {
			return this.call.getAuthority();
		}

		@Override
		public MethodDescriptor<Q, A> getMethodDescriptor() {
			return this.method;
		}

	}

	/**
	 * Unseals (with a group secret) and parses each request before the service sees it; a request that fails either
	 * closes the call (UNAUTHENTICATED, INVALID_ARGUMENT) and nothing after it is delivered.
	 */
	private static final class FramesListener<Q, A> extends ServerCall.Listener<byte[]> {

		private final ServerCall<byte[], Object> call;

		private final MethodDescriptor<Q, A> method;

		private final CallSeal seal;

		private final ServerCall.Listener<Q> inner;

		private boolean refused;

		FramesListener(ServerCall<byte[], Object> call, MethodDescriptor<Q, A> method, CallSeal seal,
				ServerCall.Listener<Q> inner) {
			this.call = call;
			this.method = method;
			this.seal = seal;
			this.inner = inner;
		}

		@Override
		public void onMessage(byte[] frame) {
			if (this.refused) {
				return;
			}
			byte[] bytes = frame;
			if (this.seal != null) {
				try {
					bytes = this.seal.open(frame);
				}
				catch (GroupSecret.Refused ex) {
					refuse(Failure.Kind.UNAUTHENTICATED, Status.UNAUTHENTICATED, ex.getMessage());
					return;
				}
			}
			Q message;
			try {
				message = this.method.parseRequest(new ByteArrayInputStream(bytes));
			}
			catch (RuntimeException ex) {
				refuse(Failure.Kind.INVALID, Status.INVALID_ARGUMENT, "malformed protobuf message");
				return;
			}
			this.inner.onMessage(message);
		}

		private void refuse(Failure.Kind kind, Status status, String message) {
			this.refused = true;
			this.call.close(status.withDescription(message), Failure.trailers(kind, null, 0));
		}

		@Override
		public void onHalfClose() {
			if (!this.refused) {
				this.inner.onHalfClose();
			}
		}

		@Override
		public void onCancel() {
			this.inner.onCancel();
		}

		@Override
		public void onComplete() {
			this.inner.onComplete();
		}

		@Override
		public void onReady() {
			if (!this.refused) {
				this.inner.onReady();
			}
		}

	}

}
