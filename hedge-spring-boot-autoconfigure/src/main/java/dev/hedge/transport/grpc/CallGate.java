package dev.hedge.transport.grpc;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import javax.net.ssl.SSLSession;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;

/**
 * Decides, before any service sees it, whether a call is a member's: authentication first (the group secret's
 * signature, the TLS session, or a loopback connection when nothing is configured — see {@link MemberSecurity}), so
 * a stranger learns nothing else; then the group, the sender id and the epoch headers. A refused call is closed with
 * {@code UNAUTHENTICATED}, {@code FAILED_PRECONDITION} (another group) or {@code INVALID_ARGUMENT}, and a hedge error
 * trailer. Thread-safe.
 */
final class CallGate {

	private final String group;

	private final byte[] groupBytes;

	private final MemberSecurity security;

	CallGate(String group, MemberSecurity security) {
		this.group = group;
		this.groupBytes = group.getBytes(StandardCharsets.UTF_8);
		this.security = security;
	}

	/**
	 * Admits a call or closes it.
	 * @param call the call
	 * @param headers its headers
	 * @return who called and the seal of its messages (null without a group secret), or null when refused and closed
	 */
	Admitted admit(ServerCall<?, ?> call, Metadata headers) {
		try {
			return check(call, headers);
		}
		catch (Refusal refusal) {
			call.close(refusal.status.withDescription(refusal.getMessage()), Failure.trailers(refusal.kind, null, 0));
			return null;
		}
	}

	private Admitted check(ServerCall<?, ?> call, Metadata headers) throws Refusal {
		byte[] claimedGroup = headers.get(HedgeHeaders.GROUP);
		String sender = headers.get(HedgeHeaders.SENDER);
		String epochHeader = headers.get(HedgeHeaders.EPOCH);
		CallSeal seal = authenticate(call, headers, claimedGroup, sender, epochHeader);
		if (claimedGroup == null) {
			throw new Refusal(Failure.Kind.INVALID, Status.INVALID_ARGUMENT, "missing hedge-group header");
		}
		if (!Arrays.equals(claimedGroup, this.groupBytes)) {
			throw new Refusal(Failure.Kind.WRONG_GROUP, Status.FAILED_PRECONDITION, "this member belongs to group '"
					+ this.group + "', not '" + new String(claimedGroup, StandardCharsets.UTF_8) + "'");
		}
		long epoch;
		try {
			epoch = (epochHeader != null) ? Long.parseLong(epochHeader) : 0;
		}
		catch (NumberFormatException ex) {
			throw new Refusal(Failure.Kind.INVALID, Status.INVALID_ARGUMENT, "malformed hedge-epoch header");
		}
		if (sender == null || sender.isBlank() || sender.length() > 300) {
			throw new Refusal(Failure.Kind.INVALID, Status.INVALID_ARGUMENT, "missing or malformed hedge-sender");
		}
		String mismatch = senderMismatch(sender, call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
		if (mismatch == null && this.security.tls() != null) {
			mismatch = MemberTls.certificateMismatch(sender, call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
		}
		if (mismatch != null) {
			throw new Refusal(Failure.Kind.INVALID, Status.INVALID_ARGUMENT, mismatch);
		}
		return new Admitted(new HedgeHeaders.Caller(sender, epoch), seal);
	}

	private CallSeal authenticate(ServerCall<?, ?> call, Metadata headers, byte[] claimedGroup, String sender,
			String epoch) throws Refusal {
		if (this.security.tls() != null) {
			SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
			if (session == null) {
				throw unauthenticated("plaintext connection: this member requires mutual TLS (hedge.security.ssl-bundle)");
			}
		}
		if (this.security.loopbackOnly() && !fromLoopback(call)) {
			throw unauthenticated("member calls from other hosts need hedge.security.secret or"
					+ " hedge.security.ssl-bundle (or hedge.security.mode=none)");
		}
		GroupSecret secret = this.security.secret();
		if (secret == null) {
			return null;
		}
		GroupSecret.CallFields fields = new GroupSecret.CallFields(call.getMethodDescriptor().getFullMethodName(),
				(claimedGroup != null) ? claimedGroup : new byte[0], (sender != null) ? sender : "",
				(epoch != null) ? epoch : "");
		try {
			return secret.verify(fields, headers.get(HedgeHeaders.AUTH));
		}
		catch (GroupSecret.Refused ex) {
			throw unauthenticated(ex.getMessage());
		}
	}

	private static boolean fromLoopback(ServerCall<?, ?> call) {
		SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
		// in-process transports (tests) have no socket address
		return !(remote instanceof InetSocketAddress socket)
				|| (socket.getAddress() != null && socket.getAddress().isLoopbackAddress());
	}

	private static Refusal unauthenticated(String message) {
		return new Refusal(Failure.Kind.UNAUTHENTICATED, Status.UNAUTHENTICATED, message);
	}

	/**
	 * A member may only speak for itself: when the sender id names an IP address and the connection comes from a
	 * different, non-loopback address, the call is refused. (Loopback connections pass: local tests, and service-mesh
	 * sidecars that connect from the pod itself. Host names are not resolved.) With TLS, a certificate that lists IP
	 * addresses binds the id as well.
	 */
	static String senderMismatch(String sender, SocketAddress remote) {
		if (!(remote instanceof InetSocketAddress socket) || socket.getAddress() == null
				|| socket.getAddress().isLoopbackAddress()) {
			return null;
		}
		String host = NodeIds.host(sender);
		if (!NodeIds.isIpLiteral(host)) {
			return null;
		}
		try {
			java.net.InetAddress claimed = java.net.InetAddress.getByName(host);
			if (!claimed.equals(socket.getAddress())) {
				return "sender " + sender + " does not match the connection's address "
						+ socket.getAddress().getHostAddress();
			}
		}
		catch (java.net.UnknownHostException ex) {
			return "malformed sender address " + sender;
		}
		return null;
	}

	/**
	 * An admitted call.
	 *
	 * @param caller who called
	 * @param seal the seal of its messages, or null without a group secret
	 */
	record Admitted(HedgeHeaders.Caller caller, CallSeal seal) {
	}

	private static final class Refusal extends Exception {

		private static final long serialVersionUID = 1L;

		private final Failure.Kind kind;

		private final transient Status status;

		Refusal(Failure.Kind kind, Status status, String message) {
			super(message, null, false, false);
			this.kind = kind;
			this.status = status;
		}

	}

}
