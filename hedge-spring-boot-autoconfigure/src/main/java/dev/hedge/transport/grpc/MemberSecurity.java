package dev.hedge.transport.grpc;

import java.net.InetAddress;
import java.net.UnknownHostException;

import dev.hedge.common.HedgeConfigurationException;

/**
 * How members authenticate each other's calls: a {@link GroupSecret} (HMAC on every call and message), mutual
 * {@link MemberTls}, both, or neither.
 *
 * <p>Secure by default: in {@link Mode#AUTO} a member with neither accepts calls only from loopback connections, and
 * refuses to start when it advertises an address other members could reach from elsewhere
 * ({@link #requireAllowed(String)}). {@link Mode#NONE} is the explicit choice of unauthenticated member traffic on a
 * network the operator trusts; calls are then only checked as before (group, and the sender id against the
 * connection's address). Immutable and thread-safe.
 */
public final class MemberSecurity {

	/** Whether unauthenticated member traffic is allowed off loopback. */
	public enum Mode {

		/** Authenticate with whatever is configured; with nothing configured, loopback only. */
		AUTO,

		/** No authentication, on any address: the operator trusts the network. */
		NONE

	}

	private static final MemberSecurity AUTO = new MemberSecurity(Mode.AUTO, null, null);

	private final Mode mode;

	private final GroupSecret secret;

	private final MemberTls tls;

	private MemberSecurity(Mode mode, GroupSecret secret, MemberTls tls) {
		this.mode = mode;
		this.secret = secret;
		this.tls = tls;
	}

	/**
	 * The default: nothing configured yet, loopback only until a secret or TLS is added.
	 * @return the default
	 */
	public static MemberSecurity auto() {
		return AUTO;
	}

	/**
	 * Unauthenticated member traffic on any address ({@code hedge.security.mode=none}).
	 * @return the insecure configuration
	 */
	public static MemberSecurity none() {
		return new MemberSecurity(Mode.NONE, null, null);
	}

	/**
	 * Adds a group secret.
	 * @param secret the secret, or null for none
	 * @return a copy with the secret
	 * @throws HedgeConfigurationException in {@link Mode#NONE}, which contradicts authentication
	 */
	public MemberSecurity withSecret(GroupSecret secret) {
		return new MemberSecurity(this.mode, secret, this.tls).requireConsistent();
	}

	/**
	 * Adds mutual TLS.
	 * @param tls the TLS configuration, or null for plaintext
	 * @return a copy with TLS
	 * @throws HedgeConfigurationException in {@link Mode#NONE}, which contradicts authentication
	 */
	public MemberSecurity withTls(MemberTls tls) {
		return new MemberSecurity(this.mode, this.secret, tls).requireConsistent();
	}

	private MemberSecurity requireConsistent() {
		if (this.mode == Mode.NONE && authenticates()) {
			throw new HedgeConfigurationException("hedge.security.mode",
					"'none' turns member authentication off, but a secret or an SSL bundle is configured: remove one");
		}
		return this;
	}

	/**
	 * The mode.
	 * @return the mode
	 */
	public Mode mode() {
		return this.mode;
	}

	/**
	 * The group secret.
	 * @return the secret, or null
	 */
	public GroupSecret secret() {
		return this.secret;
	}

	/**
	 * Mutual TLS.
	 * @return the TLS configuration, or null
	 */
	public MemberTls tls() {
		return this.tls;
	}

	/**
	 * Whether calls are authenticated (by a secret, TLS or both).
	 * @return whether they are
	 */
	public boolean authenticates() {
		return this.secret != null || this.tls != null;
	}

	/**
	 * Whether only loopback callers are admitted: {@link Mode#AUTO} with nothing configured. Such a member also
	 * advertises the loopback address unless told otherwise.
	 * @return whether callers must be local
	 */
	public boolean loopbackOnly() {
		return this.mode == Mode.AUTO && !authenticates();
	}

	/**
	 * Refuses a configuration that would let anyone who reaches this member's port act as a member.
	 * @param advertisedHost the host part of this member's id
	 * @throws HedgeConfigurationException naming {@code hedge.security.mode} when the member advertises a
	 * non-loopback address in {@link Mode#AUTO} with neither a secret nor TLS
	 */
	public void requireAllowed(String advertisedHost) {
		if (loopbackOnly() && !isLoopback(advertisedHost)) {
			throw new HedgeConfigurationException("hedge.security.mode", "this member advertises " + advertisedHost
					+ ", which other machines can reach, but member calls are not authenticated. Set"
					+ " hedge.security.secret (a group secret of at least " + GroupSecret.MIN_SECRET_LENGTH
					+ " characters, e.g. from a Kubernetes Secret) or hedge.security.ssl-bundle (mutual TLS), or set"
					+ " hedge.security.mode=none to accept unauthenticated member calls on a network you trust");
		}
	}

	/**
	 * A short description for logs and the actuator: {@code secret+tls}, {@code secret}, {@code tls},
	 * {@code loopback-only} or {@code none}.
	 * @return the description
	 */
	public String describe() {
		if (this.secret != null && this.tls != null) {
			return "secret+tls";
		}
		if (this.secret != null) {
			return "secret";
		}
		if (this.tls != null) {
			return "tls";
		}
		return (this.mode == Mode.NONE) ? "none" : "loopback-only";
	}

	/**
	 * Whether a host is a loopback address (names are resolved; an unknown name is not loopback).
	 * @param host the host
	 * @return whether it is loopback
	 */
	public static boolean isLoopback(String host) {
		try {
			return InetAddress.getByName(host).isLoopbackAddress();
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

	@Override
	public String toString() {
		return "MemberSecurity[" + describe() + ", secret=" + this.secret + ", tls=" + this.tls + "]";
	}

}
