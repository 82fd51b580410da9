package dev.hedge.spring.autoconfigure;

import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import dev.hedge.transport.grpc.RuntimeVersions;

/**
 * Fails the start at once when the classpath's gRPC or protobuf cannot run hedge ({@link RuntimeVersions}), and keeps
 * the zero-setup default free of GCP: the starter brings spring-cloud-gcp, whose auto-configurations otherwise
 * look for a project and credentials at start. Adds lowest-precedence defaults (any explicit setting wins):
 * <ul>
 * <li>{@code spring.cloud.gcp.spanner.enabled=false} when hedge does not use Spanner and Spanner is not configured,
 * and then also {@code spring.cloud.gcp.core.enabled=false} unless GCP credentials are configured;</li>
 * <li>{@code spring.grpc.server.ssl.bundle} and {@code spring.grpc.server.ssl.client-auth=require} when
 * {@code hedge.security.ssl-bundle} is set, so the gRPC server that serves hedge requires members' certificates;</li>
 * <li>{@code spring.cloud.gcp.secretmanager.enabled=false} when no GCP credentials are configured and hedge runs on
 * the embedded store or the Spanner emulator (spring-cloud-gcp 6.1.1 puts the Secret Manager client on every
 * classpath; without credentials its auto-configuration fails the start).</li>
 * </ul>
 */
class HedgeEnvironmentPostProcessor implements EnvironmentPostProcessor {

	static final String SOURCE = "hedgeDefaults";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.getProperty("hedge.enabled", Boolean.class, true)) {
			return;
		}
		// before any bean (hedge's or spring-cloud-gcp's) loads a generated protobuf class
		RuntimeVersions.requireCompatible();
		Map<String, Object> tls = GrpcServerTls.defaults(environment.getProperty("hedge.security.ssl-bundle"),
				environment);
		if (!tls.isEmpty()) {
			environment.getPropertySources().addLast(new MapPropertySource(SOURCE + "Tls", tls));
		}
		boolean spannerSelected;
		try {
			spannerSelected = StoreSelection.spannerSelected(environment);
		}
		catch (RuntimeException ex) {
			return;
		}
		boolean emulator = environment.getProperty("spring.cloud.gcp.spanner.emulator.enabled", Boolean.class, false);
		Map<String, Object> defaults = new HashMap<>();
		if (!spannerSelected && !StoreSelection.spannerConfigured(environment)) {
			defaults.put("spring.cloud.gcp.spanner.enabled", "false");
			if (!credentialsConfigured(environment)) {
				defaults.put("spring.cloud.gcp.core.enabled", "false");
			}
		}
		if (!credentialsConfigured(environment) && (!spannerSelected || emulator)) {
			defaults.put("spring.cloud.gcp.secretmanager.enabled", "false");
		}
		if (!defaults.isEmpty()) {
			environment.getPropertySources().addLast(new MapPropertySource(SOURCE, defaults));
		}
	}

	private static boolean credentialsConfigured(ConfigurableEnvironment environment) {
		return environment.containsProperty("spring.cloud.gcp.credentials.location")
				|| environment.containsProperty("spring.cloud.gcp.credentials.encoded-key")
				|| environment.containsProperty("GOOGLE_APPLICATION_CREDENTIALS");
	}

}
