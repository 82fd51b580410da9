package dev.hedge.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The test certificates in {@code dev/hedge/testsupport/tls} (see the README there) as JDK key and trust managers.
 * Stateless.
 */
public final class TestCertificates {

	/** Classpath folder of the PEM files, for Spring PEM bundles ({@code classpath:} + this + file). */
	public static final String FOLDER = "dev/hedge/testsupport/tls/";

	private TestCertificates() {
	}

	/**
	 * A key manager presenting one of the certificates.
	 * @param name {@code member}, {@code rogue}, {@code elsewhere} or {@code named}
	 * @return the initialised factory
	 */
	public static KeyManagerFactory keys(String name) {
		try {
			KeyStore store = KeyStore.getInstance("PKCS12");
			store.load(null, null);
			Certificate certificate = CertificateFactory.getInstance("X.509")
				.generateCertificate(open(name + ".pem"));
			store.setKeyEntry(name, privateKey(name + ".key"), new char[0], new Certificate[] { certificate });
			KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			factory.init(store, new char[0]);
			return factory;
		}
		catch (GeneralSecurityException | IOException ex) {
			throw new IllegalStateException("cannot load test certificate " + name, ex);
		}
	}

	/**
	 * A trust manager trusting one of the CAs.
	 * @param ca {@code hedge} or {@code rogue}
	 * @return the initialised factory
	 */
	public static TrustManagerFactory trust(String ca) {
		try {
			KeyStore store = KeyStore.getInstance("PKCS12");
			store.load(null, null);
			store.setCertificateEntry(ca,
					CertificateFactory.getInstance("X.509").generateCertificate(open(ca + "-ca.pem")));
			TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			factory.init(store);
			return factory;
		}
		catch (GeneralSecurityException | IOException ex) {
			throw new IllegalStateException("cannot load test CA " + ca, ex);
		}
	}

	private static PrivateKey privateKey(String file) throws IOException, GeneralSecurityException {
		String pem;
		try (InputStream in = open(file)) {
			pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
		}
		String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
		return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
	}

	private static InputStream open(String file) {
		InputStream in = TestCertificates.class.getClassLoader().getResourceAsStream(FOLDER + file);
		if (in == null) {
			throw new UncheckedIOException(new IOException("missing test resource " + FOLDER + file));
		}
		return in;
	}

}
