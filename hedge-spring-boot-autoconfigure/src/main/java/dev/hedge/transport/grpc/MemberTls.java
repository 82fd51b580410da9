package dev.hedge.transport.grpc;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManagerFactory;

import io.grpc.ChannelCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;

/**
 * Mutual TLS between members: one key pair and one set of trusted certificates serve both hedge's server (which
 * requires a client certificate) and its channels to other members (which verify the server's). A member that cannot
 * present a certificate the others trust cannot complete a connection. With Spring, both come from the SSL bundle
 * named by {@code hedge.security.ssl-bundle}.
 *
 * <p>Channels verify the peer's certificate for the host they dial (pod IPs: the certificate needs IP SANs) unless a
 * {@linkplain #serverName(String) server name} is given, which is then verified instead (a certificate shared by the
 * group, issued for one DNS name). A member's id is bound to its certificate when the certificate lists IP
 * addresses, and to its connection otherwise ({@link CallGate}). Immutable and thread-safe.
 */
public final class MemberTls {

	private final KeyManagerFactory keys;

	private final TrustManagerFactory trust;

	private final String serverName;

	private MemberTls(KeyManagerFactory keys, TrustManagerFactory trust, String serverName) {
		if (keys == null || trust == null) {
			throw new IllegalArgumentException("member TLS needs both a key manager and a trust manager");
		}
		this.keys = keys;
		this.trust = trust;
		this.serverName = serverName;
	}

	/**
	 * Mutual TLS from initialised JDK factories.
	 * @param keys this member's certificate and key
	 * @param trust the certificates (usually one CA) a member's certificate must chain to
	 * @return the configuration
	 */
	public static MemberTls of(KeyManagerFactory keys, TrustManagerFactory trust) {
		return new MemberTls(keys, trust, null);
	}

	/**
	 * Verifies this name in other members' certificates instead of the address dialed.
	 * @param name a DNS name every member's certificate lists, or null for the address dialed
	 * @return a copy with the name
	 */
	public MemberTls serverName(String name) {
		return new MemberTls(this.keys, this.trust, (name == null || name.isBlank()) ? null : name.strip());
	}

	/**
	 * The name verified in other members' certificates.
	 * @return the name, or null for the address dialed
	 */
	public String serverName() {
		return this.serverName;
	}

	ChannelCredentials channelCredentials() {
		return TlsChannelCredentials.newBuilder()
			.keyManager(this.keys.getKeyManagers())
			.trustManager(this.trust.getTrustManagers())
			.build();
	}

	ServerCredentials serverCredentials() {
		return TlsServerCredentials.newBuilder()
			.keyManager(this.keys.getKeyManagers())
			.trustManager(this.trust.getTrustManagers())
			.clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
			.build();
	}

	/**
	 * Whether a verified client certificate contradicts the member id the call claims: when the certificate lists IP
	 * addresses, the sender's host must be one of them.
	 * @param sender the claimed member id ({@code host:port})
	 * @param session the connection's TLS session
	 * @return why the call is refused, or null
	 */
	static String certificateMismatch(String sender, SSLSession session) {
		Certificate[] chain;
		try {
			chain = session.getPeerCertificates();
		}
		catch (SSLPeerUnverifiedException ex) {
			return "no verified client certificate";
		}
		if (chain.length == 0 || !(chain[0] instanceof X509Certificate certificate)) {
			return "no verified client certificate";
		}
		List<InetAddress> addresses = ipAddresses(certificate);
		if (addresses.isEmpty()) {
			return null;
		}
		String host = NodeIds.host(sender);
		if (!NodeIds.isIpLiteral(host)) {
			return "sender " + sender + " is not one of the IP addresses of its certificate";
		}
		try {
			InetAddress claimed = InetAddress.getByName(host);
			return addresses.contains(claimed) ? null
					: "sender " + sender + " is not one of the IP addresses of its certificate " + addresses;
		}
		catch (UnknownHostException ex) {
			return "malformed sender address " + sender;
		}
	}

	private static List<InetAddress> ipAddresses(X509Certificate certificate) {
		List<InetAddress> addresses = new ArrayList<>();
		try {
			Collection<List<?>> names = certificate.getSubjectAlternativeNames();
			if (names == null) {
				return addresses;
			}
			for (List<?> name : names) {
				// type 7: iPAddress (RFC 5280), given by the JDK as its textual form
				if (name.size() == 2 && Integer.valueOf(7).equals(name.get(0)) && name.get(1) instanceof String ip) {
					addresses.add(InetAddress.getByName(ip));
				}
			}
		}
		catch (CertificateParsingException | UnknownHostException ex) {
			// unreadable names bind nothing: the connection binding still applies
		}
		return addresses;
	}

	@Override
	public String toString() {
		return "MemberTls[serverName=" + this.serverName + "]";
	}

}
