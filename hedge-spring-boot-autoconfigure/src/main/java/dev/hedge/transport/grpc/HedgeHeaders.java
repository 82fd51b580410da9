package dev.hedge.transport.grpc;

import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.Context;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;

/**
 * The metadata every hedge call carries — the group ({@code hedge-group-bin}, UTF-8), the sender's node id
 * ({@code hedge-sender}), the sender's view of the leader epoch ({@code hedge-epoch}) and, with a group secret, the
 * call's signature ({@code hedge-auth}) — the client interceptor that adds them, and the caller of the call being
 * served. {@link CallGate} checks them on the server. Stateless and thread-safe.
 */
public final class HedgeHeaders {

	/** The group of the call. */
	public static final Metadata.Key<byte[]> GROUP = Metadata.Key.of("hedge-group-bin",
			Metadata.BINARY_BYTE_MARSHALLER);

	/** The calling node's id. */
	public static final Metadata.Key<String> SENDER = Metadata.Key.of("hedge-sender", Metadata.ASCII_STRING_MARSHALLER);

	/** The caller's view of the leader epoch. */
	public static final Metadata.Key<String> EPOCH = Metadata.Key.of("hedge-epoch", Metadata.ASCII_STRING_MARSHALLER);

	/** The call's signature when the group has a secret ({@link GroupSecret}). */
	public static final Metadata.Key<String> AUTH = Metadata.Key.of("hedge-auth", Metadata.ASCII_STRING_MARSHALLER);

	private static final Context.Key<Caller> CALLER = Context.key("hedge-caller");

	private HedgeHeaders() {
	}

	/**
	 * The caller of the call being served on this thread.
	 * @return the caller, or {@link Caller#UNKNOWN} outside a hedge call
	 */
	public static Caller caller() {
		Caller caller = CALLER.get();
		return (caller != null) ? caller : Caller.UNKNOWN;
	}

	/**
	 * Adds the headers to every call made through a channel, without authentication (tests and tools).
	 * @param group the group
	 * @param sender supplies this node's id
	 * @param epoch supplies this node's view of the epoch
	 * @return the interceptor
	 */
	public static ClientInterceptor client(String group, Supplier<String> sender, LongSupplier epoch) {
		return client(group, sender, epoch, null);
	}

	/**
	 * Adds the headers to every call made through a channel and, with a group secret, signs the call and seals each
	 * of its messages (replies that fail their check end the call with {@code UNAUTHENTICATED}).
	 * @param group the group
	 * @param sender supplies this node's id
	 * @param epoch supplies this node's view of the epoch
	 * @param secret the group secret, or null to send calls unsigned
	 * @return the interceptor
	 */
	public static ClientInterceptor client(String group, Supplier<String> sender, LongSupplier epoch,
			GroupSecret secret) {
		byte[] groupBytes = group.getBytes(StandardCharsets.UTF_8);
		return new ClientInterceptor() {
			@Override
			public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options,
					Channel next) {
				if (secret != null) {
					return new SealedClientCall<>(method, options, next, secret, (headers) -> {
						String id = sender.get();
						String view = Long.toString(epoch.getAsLong());
						put(headers, groupBytes, id, view);
						return new GroupSecret.CallFields(method.getFullMethodName(), groupBytes, id, view);
					});
				}
				return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
					@Override
					public void start(Listener<A> listener, Metadata headers) {
						put(headers, groupBytes, sender.get(), Long.toString(epoch.getAsLong()));
						super.start(listener, headers);
					}
				};
			}
		};
	}

	private static void put(Metadata headers, byte[] group, String sender, String epoch) {
		headers.put(GROUP, group);
		headers.put(SENDER, sender);
		headers.put(EPOCH, epoch);
	}

	/**
	 * Runs the rest of a call with its caller visible to {@link #caller()}.
	 * @param caller the admitted caller
	 * @return the context to run the call in
	 */
	static Context withCaller(Caller caller) {
		return Context.current().withValue(CALLER, caller);
	}

	/**
	 * Who made a call.
	 *
	 * @param sender the caller's node id
	 * @param epoch the caller's view of the epoch
	 */
	public record Caller(String sender, long epoch) {

		/** Outside a hedge call. */
		public static final Caller UNKNOWN = new Caller("", 0);

	}

}
