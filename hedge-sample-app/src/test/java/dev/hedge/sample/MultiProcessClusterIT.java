package dev.hedge.sample;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.hedge.testsupport.AppProcesses;
import dev.hedge.testsupport.AppProcesses.Member;
import dev.hedge.testsupport.SpannerEmulator;
import dev.hedge.testsupport.SpannerEmulatorExtension;
import dev.hedge.testsupport.Timing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three sample-app JVMs ({@code java -jar}, no extra flags) form one group — once on the embedded store, once on the
 * Spanner emulator. From a follower, hedge-Go's four endpoints work; a malformed body gets 400; after the leader is
 * killed (SIGKILL) another member takes over and the endpoints still work.
 */
class MultiProcessClusterIT {

	private static final List<String> FAST = List.of("--hedge.election.lease-duration=3s",
			"--hedge.election.renew-interval=1s", "--hedge.election.poll-interval=500ms",
			"--hedge.membership.heartbeat-interval=500ms", "--hedge.membership.member-timeout=3s",
			"--spring.application.name=hedge-it-" + UUID.randomUUID().toString().substring(0, 8));

	@Test
	void threeProcessesOnTheEmbeddedStore() throws Exception {
		Path store = Files.createTempDirectory("hedge-it-store");
		List<String> args = new ArrayList<>(FAST);
		args.add("--hedge.embedded.path=" + store);
		try (AppProcesses cluster = sample(args, Map.of())) {
			exercise(cluster, "embedded");
		}
	}

	@Test
	void threeProcessesOnTheSpannerEmulator() throws Exception {
		SpannerEmulator emulator = SpannerEmulatorExtension.requireEmulator("MultiProcessClusterIT");
		List<String> args = new ArrayList<>(FAST);
		args.add("--spring.profiles.active=spanner");
		Map<String, String> environment = Map.of("SPANNER_EMULATOR_HOST", emulator.host(), "SPANNER_DATABASE",
				"it-" + UUID.randomUUID().toString().substring(0, 8), "SPANNER_INSTANCE", "hedge-it");
		try (AppProcesses cluster = sample(args, environment)) {
			exercise(cluster, "spanner");
		}
	}

	/** The packaged sample app ({@code java -jar}, no extra flags); logs in {@code target/it-logs/}. */
	private static AppProcesses sample(List<String> args, Map<String, String> environment) {
		List<String> all = new ArrayList<>(args);
		all.add("--sample.leader-task-rate=1s");
		return new AppProcesses(Path.of(System.getProperty("hedge.sample.jar", "target/hedge-sample-app.jar")),
				Path.of("."), Path.of("target", "it-logs"), all, environment);
	}

	private void exercise(AppProcesses cluster, String store) throws Exception {
		long begin = System.nanoTime();
		List<Member> members = List.of(cluster.start(store + "-a"), cluster.start(store + "-b"),
				cluster.start(store + "-c"));
		await().atMost(Timing.seconds(90))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> {
				cluster.requireRunning(members);
				return cluster.leader().isPresent() && members.stream().allMatch((m) -> cluster.memberCount(m) == 3);
			});
		System.out.printf("[MultiProcessClusterIT/%s] 3 JVMs formed a group in %d ms%n", store,
				(System.nanoTime() - begin) / 1_000_000);
		assertThat(cluster.hedge(members.get(0)).orElseThrow().path("store").asText()).isEqualTo(store);
		Member leader = cluster.leader().orElseThrow();
		Member follower = members.stream().filter((m) -> m != leader).findFirst().orElseThrow();

		assertThat(cluster.post(follower, "/put", "greeting hello world").statusCode()).isEqualTo(200);
		HttpResponse<String> get = cluster.post(follower, "/get", "greeting");
		assertThat(get.statusCode()).isEqualTo(200);
		assertThat(get.body()).contains("hello world");
		HttpResponse<String> send = cluster.post(follower, "/send", "there");
		assertThat(send.body()).contains("hello there");
		HttpResponse<String> broadcast = cluster.post(follower, "/broadcast", "everyone");
		assertThat(broadcast.body().lines().filter((line) -> line.contains("broadcast everyone"))).hasSize(3);
		assertThat(cluster.post(follower, "/put", "no-value-here").statusCode()).isEqualTo(400);
		assertThat(cluster.post(follower, "/get", "").statusCode()).isEqualTo(400);

		long killed = System.nanoTime();
		leader.process().destroyForcibly();
		await().atMost(Timing.seconds(30))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> cluster.leader().filter((m) -> m != leader).isPresent());
		Member successor = cluster.leader().orElseThrow();
		System.out.printf("[MultiProcessClusterIT/%s] leader %s killed; %s leads after %d ms%n", store, leader,
				successor, (System.nanoTime() - killed) / 1_000_000);
		Member survivor = cluster.alive().stream().filter((m) -> m != successor).findFirst().orElseThrow();
		assertThat(cluster.post(survivor, "/send", "again").body()).contains("hello again");
		assertThat(cluster.post(survivor, "/get", "greeting").body()).contains("hello world");
	}

}
