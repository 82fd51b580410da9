package dev.hedge.transport.grpc;

import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingClientCall;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * The metadata every hedge call carries — the group ({@code hedge-group-bin}, UTF-8), the sender's node id
 * ({@code hedge-sender}) and the sender's view of the leader epoch ({@code hedge-epoch}) — and the interceptors that
 * add them (client) and check them (server). A call for another group, or one without a group, never reaches a
 * service: it is closed with {@code FAILED_PRECONDITION} / {@code INVALID_ARGUMENT}. Stateless and thread-safe.
 */
public final class HedgeHeaders {

	/** The group of the call. */
	public static final Metadata.Key<byte[]> GROUP = Metadata.Key.of("hedge-group-bin",
			Metadata.BINARY_BYTE_MARSHALLER);

	/** The calling node's id. */
	public static final Metadata.Key<String> SENDER = Metadata.Key.of("hedge-sender", Metadata.ASCII_STRING_MARSHALLER);

	/** The caller's view of the leader epoch. */
	public static final Metadata.Key<String> EPOCH = Metadata.Key.of("hedge-epoch", Metadata.ASCII_STRING_MARSHALLER);

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
	 * Adds the headers to every call made through a channel.
	 * @param group the group
	 * @param sender supplies this node's id
	 * @param epoch supplies this node's view of the epoch
	 * @return the interceptor
	 */
	public static ClientInterceptor client(String group, Supplier<String> sender, LongSupplier epoch) {
		byte[] groupBytes = group.getBytes(StandardCharsets.UTF_8);
		return new ClientInterceptor() {
			@Override
			public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options,
					Channel next) {
				return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
					@Override
					public void start(Listener<A> listener, Metadata headers) {
						headers.put(GROUP, groupBytes);
						headers.put(SENDER, sender.get());
						headers.put(EPOCH, Long.toString(epoch.getAsLong()));
						super.start(listener, headers);
					}
				};
			}
		};
	}

	/**
	 * Refuses calls for other groups and exposes the caller to services through {@link #caller()}.
	 * @param group this node's group
	 * @return the interceptor
	 */
	public static ServerInterceptor server(String group) {
		byte[] expected = group.getBytes(StandardCharsets.UTF_8);
		return new ServerInterceptor() {
			@Override
			public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
					ServerCallHandler<Q, A> next) {
				byte[] actual = headers.get(GROUP);
				if (actual == null) {
					return refuse(call, Failure.Kind.INVALID, Status.INVALID_ARGUMENT, "missing hedge-group header");
				}
				if (!java.util.Arrays.equals(actual, expected)) {
					return refuse(call, Failure.Kind.WRONG_GROUP, Status.FAILED_PRECONDITION,
							"this member belongs to group '" + group + "', not '"
									+ new String(actual, StandardCharsets.UTF_8) + "'");
				}
				String sender = headers.get(SENDER);
				long epoch;
				try {
					String value = headers.get(EPOCH);
					epoch = (value != null) ? Long.parseLong(value) : 0;
				}
				catch (NumberFormatException ex) {
					return refuse(call, Failure.Kind.INVALID, Status.INVALID_ARGUMENT, "malformed hedge-epoch header");
				}
				if (sender == null || sender.isBlank() || sender.length() > 300) {
					return refuse(call, Failure.Kind.INVALID, Status.INVALID_ARGUMENT, "missing or malformed hedge-sender");
				}
				String mismatch = senderMismatch(sender, call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
				if (mismatch != null) {
					return refuse(call, Failure.Kind.INVALID, Status.INVALID_ARGUMENT, mismatch);
				}
				Context context = Context.current().withValue(CALLER, new Caller(sender, epoch));
				return Contexts.interceptCall(context, call, headers, next);
			}
		};
	}

	/**
	 * A member may only speak for itself: when the sender id names an IP address and the connection comes from a
	 * different, non-loopback address, the call is refused. (Loopback connections pass: local tests, and service-mesh
	 * sidecars that connect from the pod itself. Host names are not resolved.) This is no substitute for mutual TLS,
	 * but it stops a pod from claiming another pod's identity.
	 */
	static String senderMismatch(String sender, java.net.SocketAddress remote) {
		if (!(remote instanceof java.net.InetSocketAddress socket) || socket.getAddress() == null
				|| socket.getAddress().isLoopbackAddress()) {
			return null;
		}
		int colon = sender.lastIndexOf(':');
		String host = (colon > 0) ? sender.substring(0, colon) : sender;
		if (host.startsWith("[") && host.endsWith("]")) {
			host = host.substring(1, host.length() - 1);
		}
		if (!host.matches("[0-9.]+|[0-9a-fA-F:]+")) {
			return null;
		}
		try {
			java.net.InetAddress claimed = java.net.InetAddress.getByName(host);
			if (!claimed.equals(socket.getAddress())) {
				return "sender " + sender + " does not match the connection's address " + socket.getAddress().getHostAddress();
			}
		}
		catch (java.net.UnknownHostException ex) {
			return "malformed sender address " + sender;
		}
		return null;
	}

	private static <Q, A> ServerCall.Listener<Q> refuse(ServerCall<Q, A> call, Failure.Kind kind, Status status,
			String message) {
		call.close(status.withDescription(message), Failure.trailers(kind, null, 0));
		return new ServerCall.Listener<>() {
		};
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
