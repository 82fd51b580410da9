package dev.hedge.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

import dev.hedge.testsupport.Ci;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Renders every kustomize overlay with {@code kubectl kustomize} and checks what the README promises: 3 replicas, the
 * pod IP as hedge.node.address, probes on the health groups, a grace period longer than the lease, a headless Service,
 * a ServiceAccount, and each overlay's store settings.
 */
class KustomizeRenderTests {

	private static final Path K8S = Path.of("..", "k8s");

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> render(String overlay) throws Exception {
		Process kubectl;
		try {
			kubectl = new ProcessBuilder("kubectl", "kustomize", K8S.resolve("overlays").resolve(overlay).toString())
				.redirectErrorStream(true)
				.start();
		}
		catch (IOException ex) {
			String message = "*** kubectl is not installed: the k8s overlays were not rendered";
			if (Ci.isCi()) {
				throw new IllegalStateException(message, ex);
			}
			System.err.println(message + " -- SKIPPED ***");
			Assumptions.abort(message);
			return List.of();
		}
		String output = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(kubectl.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(kubectl.exitValue()).as("kubectl kustomize %s:%n%s", overlay, output).isZero();
		List<Map<String, Object>> documents = new ArrayList<>();
		for (Object document : new Yaml().loadAll(output)) {
			documents.add((Map<String, Object>) document);
		}
		return documents;
	}

	private static Map<String, Object> find(List<Map<String, Object>> documents, String kind, String name) {
		return documents.stream()
			.filter((d) -> kind.equals(d.get("kind")) && name.equals(get(d, "metadata", "name")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + kind + " " + name));
	}

	@SuppressWarnings("unchecked")
	private static Object get(Object node, Object... path) {
		Object current = node;
		for (Object step : path) {
			current = (step instanceof Integer index) ? ((List<Object>) current).get(index)
					: ((Map<String, Object>) current).get(step);
		}
		return current;
	}

	@SuppressWarnings("unchecked")
	private static String env(Map<String, Object> deployment, String name) {
		List<Map<String, Object>> env = (List<Map<String, Object>>) get(deployment, "spec", "template", "spec",
				"containers", 0, "env");
		return env.stream()
			.filter((e) -> name.equals(e.get("name")))
			.map((e) -> String.valueOf(e.containsKey("value") ? e.get("value") : e.get("valueFrom")))
			.findFirst()
			.orElse(null);
	}

	@ParameterizedTest
	@ValueSource(strings = { "emulator", "gke" })
	void everyOverlayRendersTheBaseDeploymentAsDocumented(String overlay) throws Exception {
		List<Map<String, Object>> documents = render(overlay);
		Map<String, Object> deployment = find(documents, "Deployment", "hedge-sample");
		assertThat(get(deployment, "spec", "replicas")).isEqualTo(3);
		assertThat(env(deployment, "POD_IP")).contains("status.podIP");
		assertThat(env(deployment, "HEDGE_NODE_ADDRESS")).isEqualTo("$(POD_IP)");
		assertThat(get(deployment, "spec", "template", "spec", "containers", 0, "readinessProbe", "httpGet", "path"))
			.isEqualTo("/actuator/health/readiness");
		assertThat(get(deployment, "spec", "template", "spec", "containers", 0, "livenessProbe", "httpGet", "path"))
			.isEqualTo("/actuator/health/liveness");
		assertThat((Integer) get(deployment, "spec", "template", "spec", "terminationGracePeriodSeconds"))
			.as("grace period longer than the 10 s lease")
			.isGreaterThan(10);
		assertThat(get(deployment, "spec", "template", "spec", "serviceAccountName")).isEqualTo("hedge-sample");
		Map<String, Object> service = find(documents, "Service", "hedge-sample");
		assertThat(get(service, "spec", "clusterIP")).isEqualTo("None");
		find(documents, "ServiceAccount", "hedge-sample");
		find(documents, "NetworkPolicy", "hedge-sample-members");
	}

	@ParameterizedTest
	@ValueSource(strings = { "emulator", "gke" })
	void everyOverlayGeneratesAndMountsTheGroupSecret(String overlay) throws Exception {
		List<Map<String, Object>> documents = render(overlay);
		Map<String, Object> deployment = find(documents, "Deployment", "hedge-sample");
		assertThat(env(deployment, "HEDGE_SECURITY_SECRET")).contains("secretKeyRef")
			.contains("name=hedge-sample-member-secret")
			.contains("key=secret");
		Map<String, Object> job = find(documents, "Job", "hedge-sample-member-secret");
		String script = String.valueOf(get(job, "spec", "template", "spec", "containers", 0, "args", 0));
		assertThat(script).contains("\"name\":\"hedge-sample-member-secret\"")
			.contains("\"stringData\":{\"secret\"")
			.contains("head -c 32 /dev/urandom")
			.contains("409)");
		assertThat(get(job, "spec", "template", "spec", "serviceAccountName")).isEqualTo("hedge-sample-secret-init");
		Map<String, Object> role = find(documents, "Role", "hedge-sample-secret-init");
		assertThat(String.valueOf(get(role, "rules", 0))).contains("secrets").contains("create").doesNotContain("get");
		find(documents, "RoleBinding", "hedge-sample-secret-init");
		// the Job's pod carries the group's name label too: the Service and the NetworkPolicy select members only
		Map<String, Object> service = find(documents, "Service", "hedge-sample");
		assertThat(String.valueOf(get(service, "spec", "selector"))).contains("app.kubernetes.io/component=member");
		assertThat(String.valueOf(get(job, "spec", "template", "metadata", "labels")))
			.doesNotContain("component=member");
	}

	@ParameterizedTest
	@ValueSource(strings = { "emulator" })
	void theEmulatorOverlayRunsTheEmulatorAndPointsTheApplicationAtIt(String overlay) throws Exception {
		List<Map<String, Object>> documents = render(overlay);
		find(documents, "Deployment", "spanner-emulator");
		find(documents, "Service", "spanner-emulator");
		Map<String, Object> deployment = find(documents, "Deployment", "hedge-sample");
		assertThat(env(deployment, "SPRING_PROFILES_ACTIVE")).isEqualTo("spanner");
		assertThat(env(deployment, "SPANNER_EMULATOR_HOST")).isEqualTo("spanner-emulator:9010");
		assertThat(env(deployment, "SPANNER_EMULATOR_ENABLED")).isEqualTo("true");
	}

	@ParameterizedTest
	@ValueSource(strings = { "gke" })
	void theGkeOverlayUsesWorkloadIdentityAndRealSpanner(String overlay) throws Exception {
		List<Map<String, Object>> documents = render(overlay);
		Map<String, Object> account = find(documents, "ServiceAccount", "hedge-sample");
		assertThat(get(account, "metadata", "annotations")).asString().contains("iam.gke.io/gcp-service-account");
		Map<String, Object> deployment = find(documents, "Deployment", "hedge-sample");
		assertThat(String.valueOf(get(deployment, "spec", "template", "spec", "containers", 0, "envFrom")))
			.contains("hedge-sample-spanner");
		Map<String, Object> config = documents.stream()
			.filter((d) -> "ConfigMap".equals(d.get("kind")))
			.findFirst()
			.orElseThrow();
		assertThat(get(config, "data", "SPANNER_EMULATOR_ENABLED")).isEqualTo("false");
		assertThat(get(config, "data", "SPRING_PROFILES_ACTIVE")).isEqualTo("spanner");
	}

}
