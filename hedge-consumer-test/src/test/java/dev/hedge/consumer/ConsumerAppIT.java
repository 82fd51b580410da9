package dev.hedge.consumer;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.hedge.consumer.ConsumerProject.MavenRun;
import dev.hedge.testsupport.AppProcesses;
import dev.hedge.testsupport.AppProcesses.Member;
import dev.hedge.testsupport.SpannerEmulator;
import dev.hedge.testsupport.SpannerEmulatorExtension;
import dev.hedge.testsupport.Timing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a user gets who follows README's "Using hedge in an application": the application in {@code src/consumer-app}
 * (Spring Boot's parent, hedge's BOM, the starter, web and the Prometheus registry; nothing else) is built by Maven
 * outside this build, against hedge's artifacts staged as they would be published.
 * <ul>
 * <li>Its resolved versions are the ones this build tests, except where the application's Spring Boot decides, and
 * its tree converges (maven-enforcer's dependencyConvergence).</li>
 * <li>Two instances of it form a group on the embedded store and on the Spanner emulator: a leader is elected, send,
 * broadcast, put, get and the semaphore answer, the {@code @OnLeader} task runs on the leader, and
 * {@code /actuator/hedge} and {@code /actuator/prometheus} show hedge.</li>
 * <li>Negative control: the same application without the BOM resolves google-cloud-spanner's older gRPC and protobuf;
 * the checks above see it, and its start fails with a message that names the BOM.</li>
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsumerAppIT {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final String LIST = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:list";

	private static final String CONVERGENCE = "org.apache.maven.plugins:maven-enforcer-plugin:3.6.1:enforce";

	private static final String EFFECTIVE_POM = "org.apache.maven.plugins:maven-help-plugin:3.6.0:effective-pom";

	private static final List<String> FAST = List.of("--hedge.election.lease-duration=3s",
			"--hedge.election.renew-interval=1s", "--hedge.election.poll-interval=500ms",
			"--hedge.membership.heartbeat-interval=500ms", "--hedge.membership.member-timeout=3s",
			"--orders.report-rate=1s");

	private ConsumerProject app;

	private MavenRun appBuild;

	private ConsumerProject starterOnly;

	private MavenRun starterOnlyBuild;

	@BeforeAll
	void build() {
		this.app = ConsumerProject.copy("with-bom", false);
		this.appBuild = this.app.maven("package", LIST, "-DincludeScope=runtime", "-DoutputFile=resolved.txt",
				CONVERGENCE, "-Denforcer.rules=dependencyConvergence");
		this.starterOnly = ConsumerProject.copy("starter-only", true);
		// Spring Boot's own management (nothing else manages anything here), the tree, the jar, then convergence
		this.starterOnlyBuild = this.starterOnly.maven(EFFECTIVE_POM, "-Doutput=effective-pom.xml", LIST,
				"-DincludeScope=runtime", "-DoutputFile=resolved.txt", "package", CONVERGENCE,
				"-Denforcer.rules=dependencyConvergence");
	}

	@Test
	void theApplicationResolvesTheVersionsHedgeIsTestedWith() {
		this.appBuild.requireSuccess();
		assertThat(this.appBuild.output()).contains("DependencyConvergence passed");
		assertThat(misalignments(this.app)).as("versions that differ from the ones hedge's build tests").isEmpty();
	}

	@Test
	void withoutTheBomTheTreeDivergesAndTheStartNamesTheFix() throws Exception {
		assertThat(this.starterOnlyBuild.exitCode()).as("convergence check of the starter-only tree").isNotZero();
		assertThat(this.starterOnlyBuild.output()).contains("Dependency convergence error for io.grpc:")
			.contains("Dependency convergence error for com.google.protobuf:protobuf-java:");
		assertThat(misalignments(this.starterOnly)).containsKeys("io.grpc:grpc-api:jar", "com.google.protobuf:protobuf-java:jar");

		Path directory = Files.createDirectories(this.starterOnly.directory().resolve("run"));
		try (AppProcesses apps = new AppProcesses(this.starterOnly.jar(), directory, directory, FAST, Map.of())) {
			Member member = apps.start("starter-only");
			assertThat(member.process().waitFor(Timing.seconds(60).toSeconds(), java.util.concurrent.TimeUnit.SECONDS))
				.as("the start fails").isTrue();
			assertThat(member.process().exitValue()).isNotZero();
			assertThat(member.logTail(40)).contains("APPLICATION FAILED TO START")
				.contains("protobuf-java 3.25.5, but hedge's generated code needs 4.x")
				.contains("dev.hedge:hedge-dependencies");
		}
	}

	@Test
	void twoInstancesOnTheEmbeddedStore() throws Exception {
		this.appBuild.requireSuccess();
		Path directory = Files.createDirectories(this.app.directory().resolve("embedded"));
		try (AppProcesses apps = new AppProcesses(this.app.jar(), directory, directory, FAST, Map.of())) {
			exercise(apps, "embedded");
		}
	}

	@Test
	void twoInstancesOnTheSpannerEmulator() throws Exception {
		this.appBuild.requireSuccess();
		SpannerEmulator emulator = SpannerEmulatorExtension.requireEmulator("ConsumerAppIT");
		Path directory = Files.createDirectories(this.app.directory().resolve("spanner"));
		List<String> args = new ArrayList<>(FAST);
		args.add("--spring.profiles.active=spanner");
		args.add("--spring.cloud.gcp.spanner.database=orders-" + UUID.randomUUID().toString().substring(0, 8));
		try (AppProcesses apps = new AppProcesses(this.app.jar(), directory, directory, args,
				Map.of("SPANNER_EMULATOR_HOST", emulator.host()))) {
			exercise(apps, "spanner");
		}
	}

	private void exercise(AppProcesses apps, String store) throws Exception {
		long begin = System.nanoTime();
		List<Member> members = List.of(apps.start(store + "-a"), apps.start(store + "-b"));
		await().atMost(Timing.seconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
			apps.requireRunning(members);
			return apps.leader().isPresent() && members.stream().allMatch((m) -> apps.memberCount(m) == 2);
		});
		System.out.printf("[ConsumerAppIT/%s] two instances formed a group in %d ms%n", store,
				(System.nanoTime() - begin) / 1_000_000);
		Member leader = apps.leader().orElseThrow();
		Member follower = members.stream().filter((m) -> m != leader).findFirst().orElseThrow();
		JsonNode hedge = apps.hedge(follower).orElseThrow();
		assertThat(hedge.path("group").asText()).isEqualTo("orders");
		assertThat(hedge.path("store").asText()).isEqualTo(store);
		assertThat(hedge.path("leader").asText()).isEqualTo(leader.id());
		assertThat(hedge.path("isLeader").asBoolean()).isFalse();
		assertThat(hedge.path("epoch").asLong()).isPositive();

		HttpResponse<String> send = apps.send(follower, "/send", "POST", "text/plain", "world");
		assertThat(send.statusCode()).isEqualTo(200);
		assertThat(send.body()).isEqualTo("hello world");

		HttpResponse<String> broadcast = apps.send(follower, "/broadcast", "POST", "text/plain", "prices");
		assertThat(broadcast.statusCode()).isEqualTo(200);
		JsonNode lines = JSON.readTree(broadcast.body());
		assertThat(lines).hasSize(2);
		for (Member member : members) {
			assertThat(broadcast.body()).contains("BroadcastResult[member=" + member.id() + ", reply=\\\"refreshed prices\\\"]");
		}

		HttpResponse<String> put = apps.send(follower, "/orders/42", "PUT", "application/json",
				"{\"item\":\"tea\",\"quantity\":3}");
		assertThat(put.statusCode()).isEqualTo(200);
		assertThat(put.body()).startsWith("stored at ");
		HttpResponse<String> get = apps.get(leader, "/orders/42");
		assertThat(get.statusCode()).isEqualTo(200);
		assertThat(JSON.readTree(get.body())).isEqualTo(JSON.readTree("{\"item\":\"tea\",\"quantity\":3}"));
		assertThat(apps.get(follower, "/orders/43").statusCode()).isEqualTo(404);
		apps.send(leader, "/orders/42", "PUT", "application/json", "{\"item\":\"tea\",\"quantity\":4}");
		HttpResponse<String> history = apps.get(follower, "/orders/42/history");
		assertThat(JSON.readTree(history.body()))
			.isEqualTo(JSON.readTree("[{\"item\":\"tea\",\"quantity\":4},{\"item\":\"tea\",\"quantity\":3}]"));

		HttpResponse<String> export = apps.send(follower, "/export", "POST", "text/plain", "");
		assertThat(export.statusCode()).isEqualTo(200);
		assertThat(export.body()).startsWith("exported under permit ");

		await().atMost(Timing.seconds(10)).untilAsserted(() -> assertThat(leader.logTail(400))
			.contains("com.example.orders.OrderHandlers") .contains("Leading the group in epoch"));
		assertThat(follower.logTail(400)).doesNotContain("Leading the group in epoch");

		HttpResponse<String> prometheus = apps.get(follower, "/actuator/prometheus");
		assertThat(prometheus.statusCode()).isEqualTo(200);
		assertThat(prometheus.body()).contains("hedge_members{group=\"orders\"} 2.0")
			.contains("hedge_leader{group=\"orders\"} 0.0")
			.contains("hedge_semaphore_limit_permits{group=\"orders\",semaphore=\"exports\"} 2.0")
			.contains("hedge_send_seconds_count{group=\"orders\",outcome=\"ok\"}");
	}

	/**
	 * Each artifact of the application's runtime tree whose version is neither the one this build tests nor the one
	 * the application's Spring Boot manages (read from the starter-only copy, where only Boot manages anything).
	 */
	private Map<String, String> misalignments(ConsumerProject project) {
		Map<String, String> tested = ConsumerProject
			.listedVersions(Path.of(System.getProperty("hedge.consumer.tested-versions")));
		Map<String, String> resolved = ConsumerProject.listedVersions(project.directory().resolve("resolved.txt"));
		Map<String, String> boot = ConsumerProject
			.managedVersions(this.starterOnly.directory().resolve("effective-pom.xml"));
		assertThat(tested).as("this build's own list").containsKey("io.grpc:grpc-api:jar");
		assertThat(boot).as("Spring Boot's management").containsKey("com.fasterxml.jackson.core:jackson-databind");
		Map<String, String> misaligned = new TreeMap<>();
		tested.forEach((artifact, version) -> {
			String found = resolved.get(artifact);
			String groupArtifact = artifact.substring(0, artifact.indexOf(':', artifact.indexOf(':') + 1));
			if (found == null) {
				misaligned.put(artifact, "missing (tested " + version + ")");
			}
			else if (!found.equals(version) && !found.equals(boot.get(groupArtifact))) {
				misaligned.put(artifact, found + " (tested " + version + ", Spring Boot manages "
						+ boot.getOrDefault(groupArtifact, "none") + ")");
			}
		});
		return misaligned;
	}

}
