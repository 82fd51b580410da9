package dev.hedge.spring.autoconfigure;

import java.util.HashMap;
import java.util.Map;

import org.springframework.core.env.Environment;

import dev.hedge.common.HedgeConfigurationException;

/**
 * Keeps the application's Spring gRPC server and hedge's channels on the same TLS: with
 * {@code hedge.security.ssl-bundle} the server must serve that bundle and require client certificates (which
 * {@link HedgeEnvironmentPostProcessor} makes the default), and a server on TLS needs hedge's channels on TLS too.
 * Stateless.
 */
final class GrpcServerTls {

	static final String BUNDLE = "spring.grpc.server.ssl.bundle";

	static final String CLIENT_AUTH = "spring.grpc.server.ssl.client-auth";

	static final String ENABLED = "spring.grpc.server.ssl.enabled";

	static final String SECURE = "spring.grpc.server.ssl.secure";

	private GrpcServerTls() {
	}

	/**
	 * The defaults that make the gRPC server serve hedge's bundle with client certificates required.
	 * @param hedgeBundle {@code hedge.security.ssl-bundle}, or null
	 * @param environment the environment
	 * @return the defaults to add (empty without a hedge bundle or when the server's bundle is set explicitly)
	 */
	static Map<String, Object> defaults(String hedgeBundle, Environment environment) {
		Map<String, Object> defaults = new HashMap<>();
		if (hedgeBundle != null && !hedgeBundle.isBlank() && !environment.containsProperty(BUNDLE)) {
			defaults.put(BUNDLE, hedgeBundle.strip());
			defaults.put(CLIENT_AUTH, "require");
		}
		return defaults;
	}

	/**
	 * Refuses a gRPC server whose TLS does not match hedge's.
	 * @param hedgeBundle {@code hedge.security.ssl-bundle}, or null
	 * @param environment the environment
	 * @throws HedgeConfigurationException naming the property to change
	 */
	static void requireConsistent(String hedgeBundle, Environment environment) {
		String serverBundle = environment.getProperty(BUNDLE);
		boolean serverTls = environment.getProperty(ENABLED, Boolean.class, serverBundle != null);
		if (hedgeBundle == null || hedgeBundle.isBlank()) {
			if (serverTls) {
				throw new HedgeConfigurationException("hedge.security.ssl-bundle", "the gRPC server that serves hedge"
						+ " uses TLS (" + BUNDLE + "=" + serverBundle + "), so members must connect with TLS: set"
						+ " hedge.security.ssl-bundle to a bundle with this member's certificate and the CA members trust"
						+ " (usually the same one)");
			}
			return;
		}
		if (!serverTls || !hedgeBundle.strip().equals(serverBundle)) {
			throw new HedgeConfigurationException("hedge.security.ssl-bundle", "members authenticate with bundle '"
					+ hedgeBundle.strip() + "' but the gRPC server that serves hedge uses "
					+ (serverTls ? "bundle '" + serverBundle + "'" : "no TLS") + ": remove " + BUNDLE + " and " + ENABLED
					+ " (hedge then sets them) or set them to the same bundle");
		}
		String clientAuth = environment.getProperty(CLIENT_AUTH, "none");
		if (!"require".equalsIgnoreCase(clientAuth) || !environment.getProperty(SECURE, Boolean.class, true)) {
			throw new HedgeConfigurationException("hedge.security.ssl-bundle", "mutual TLS needs " + CLIENT_AUTH
					+ "=require and " + SECURE + "=true on the gRPC server that serves hedge (found " + CLIENT_AUTH + "="
					+ clientAuth + "): remove them and hedge sets them");
		}
	}

}
