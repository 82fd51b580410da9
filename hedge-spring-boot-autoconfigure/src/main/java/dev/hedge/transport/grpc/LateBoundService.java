package dev.hedge.transport.grpc;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import io.grpc.BindableService;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptors;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;

/**
 * A service that exists before the node it serves has started: a server (hedge's own, or the application's Spring
 * gRPC server) can register it at once, calls are answered with a retryable NOT_READY until {@link #bind} is called,
 * and are then handed to the real implementation. Every call first passes hedge's header check (wrong group refused).
 * Thread-safe.
 */
public final class LateBoundService implements BindableService {

	private final ServiceDescriptor descriptor;

	private final String group;

	private volatile ServerServiceDefinition target;

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
	 */
	public void bind(BindableService implementation) {
		ServerServiceDefinition definition = implementation.bindService();
		if (!definition.getServiceDescriptor().getName().equals(this.descriptor.getName())) {
			throw new IllegalArgumentException("expected " + this.descriptor.getName());
		}
		this.target = definition;
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
		ServiceDescriptor.Builder lenient = ServiceDescriptor.newBuilder(this.descriptor.getName());
		List<Runnable> additions = new ArrayList<>();
		ServerServiceDefinition.Builder[] builder = new ServerServiceDefinition.Builder[1];
		for (MethodDescriptor<?, ?> method : this.descriptor.getMethods()) {
			MethodDescriptor<Object, ?> tolerant = lenient(method);
			lenient.addMethod(tolerant);
			additions.add(() -> addDelegating(builder[0], method, tolerant));
		}
		builder[0] = ServerServiceDefinition.builder(lenient.build());
		additions.forEach(Runnable::run);
		return ServerInterceptors.intercept(builder[0].build(), HedgeHeaders.server(this.group));
	}

	private static <Q, A> MethodDescriptor<Object, A> lenient(MethodDescriptor<Q, A> method) {
		MethodDescriptor.Marshaller<Q> strict = method.getRequestMarshaller();
		MethodDescriptor.Marshaller<Object> tolerant = new MethodDescriptor.Marshaller<>() {
			@Override
			@SuppressWarnings("unchecked")
			public InputStream stream(Object value) {
				return strict.stream((Q) value);
			}

			@Override
			public Object parse(InputStream stream) {
				try {
					return strict.parse(stream);
				}
				catch (RuntimeException ex) {
					return MALFORMED;
				}
			}
		};
		return method.toBuilder(tolerant, method.getResponseMarshaller()).build();
	}

	private <Q, A> void addDelegating(ServerServiceDefinition.Builder builder, MethodDescriptor<Q, A> method,
			MethodDescriptor<Object, ?> tolerant) {
		@SuppressWarnings("unchecked")
		MethodDescriptor<Object, A> bound = (MethodDescriptor<Object, A>) tolerant;
		builder.addMethod(bound, new ServerCallHandler<Object, A>() {
			@Override
			@SuppressWarnings({ "unchecked", "rawtypes" })
			public ServerCall.Listener<Object> startCall(ServerCall<Object, A> call, Metadata headers) {
				ServerServiceDefinition current = LateBoundService.this.target;
				ServerMethodDefinition<?, ?> definition = (current != null)
						? current.getMethod(method.getFullMethodName()) : null;
				if (definition == null) {
					call.close(Status.UNAVAILABLE.withDescription("hedge member not started"),
							Failure.trailers(Failure.Kind.NOT_READY, null, 0));
					return new ServerCall.Listener<>() {
					};
				}
				ServerCall.Listener<Q> inner = ((ServerCallHandler<Q, A>) definition.getServerCallHandler())
					.startCall((ServerCall<Q, A>) (ServerCall) call, headers);
				return new ValidatingListener<>(call, inner);
			}
		});
	}

	/** Marks a request whose bytes are not a valid message. */
	private static final Object MALFORMED = new Object();

	/** Closes the call with INVALID_ARGUMENT on a malformed message instead of letting gRPC fail it as INTERNAL. */
	private static final class ValidatingListener<Q, A> extends ServerCall.Listener<Object> {

		private final ServerCall<Object, A> call;

		private final ServerCall.Listener<Q> inner;

		private boolean refused;

		ValidatingListener(ServerCall<Object, A> call, ServerCall.Listener<Q> inner) {
			this.call = call;
			this.inner = inner;
		}

		@Override
		@SuppressWarnings("unchecked")
		public void onMessage(Object message) {
			if (this.refused) {
				return;
			}
			if (message == MALFORMED) {
				this.refused = true;
				this.call.close(Status.INVALID_ARGUMENT.withDescription("malformed protobuf message"),
						Failure.trailers(Failure.Kind.INVALID, null, 0));
				return;
			}
			this.inner.onMessage((Q) message);
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
