package dev.hedge.sample;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.hedge.testsupport.AppProcesses;
import dev.hedge.testsupport.AppProcesses.Member;
import dev.hedge.testsupport.PostgresDatabaseExtension;
import dev.hedge.testsupport.PostgresServer;
import dev.hedge.testsupport.PostgresTestDatabase;
import dev.hedge.testsupport.SpannerEmulator;
import dev.hedge.testsupport.SpannerEmulatorExtension;
import dev.hedge.testsupport.Timing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three sample-app JVMs ({@code java -jar}, no extra flags) form one group — once on the embedded store, once on the
 * Spanner emulator, once on PostgreSQL (the {@code postgres} profile, a fresh database). From a follower, hedge-Go's
 * four endpoints work; a malformed body gets 400; a value put through {@code PUT /chain/{key}} on one member is read
 * back by {@code GET} on every member; 300 concurrent puts spread over the members survive a SIGKILL of the leader at
 * the half (at least 95 % acknowledged within 60 s, none lost), and afterwards another member leads and the endpoints
 * still work.
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

	@Test
	void threeProcessesOnPostgres() throws Exception {
		PostgresServer server = PostgresDatabaseExtension.requireServer("MultiProcessClusterIT");
		try (PostgresTestDatabase database = PostgresTestDatabase.create(server, "sample_it")) {
			List<String> args = new ArrayList<>(FAST);
			args.add("--spring.profiles.active=postgres");
			Map<String, String> environment = Map.of("POSTGRES_URL", database.url(), "POSTGRES_USER", database.user(),
					"POSTGRES_PASSWORD", database.password());
			try (AppProcesses cluster = sample(args, environment)) {
				exercise(cluster, "jdbc");
			}
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
		chainEndpoints(cluster, members, follower);

		putsAcrossALeaderKill(cluster, store, members);
	}

	/** {@code PUT /chain/{key}} on one member, {@code GET} on every member (ChainController). */
	private void chainEndpoints(AppProcesses cluster, List<Member> members, Member writer) throws Exception {
		await().atMost(Timing.seconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> members.stream()
			.allMatch((m) -> cluster.hedge(m)
				.map((hedge) -> hedge.path("chain").path("serving").asBoolean()
						&& hedge.path("chain").path("members").size() == 3)
				.orElse(false)));
		HttpResponse<String> put = cluster.send(writer, "/chain/greeting", "PUT", "text/plain", "hello chain");
		assertThat(put.statusCode()).isEqualTo(200);
		assertThat(put.body()).isEqualTo("version 1\n");
		for (Member member : members) {
			for (String path : List.of("/chain/greeting", "/chain/greeting?mode=local")) {
				HttpResponse<String> get = cluster.get(member, path);
				assertThat(get.statusCode()).isEqualTo(200);
				assertThat(get.body()).isEqualTo("hello chain");
				assertThat(get.headers().firstValue("Hedge-Chain-Version")).contains("1");
			}
		}
		assertThat(cluster.send(writer, "/chain/greeting?expectedVersion=0", "PUT", "text/plain", "again")
			.statusCode()).isEqualTo(409);
		HttpResponse<String> form = cluster.send(writer, "/chain/greeting?expectedVersion=1", "PUT",
				"application/x-www-form-urlencoded", "as curl -d sends it");
		assertThat(form.body()).isEqualTo("version 2\n");
		assertThat(cluster.get(members.get(2), "/chain/greeting").body()).isEqualTo("as curl -d sends it");
		assertThat(cluster.get(writer, "/chain/absent").statusCode()).isEqualTo(404);
		assertThat(cluster.get(writer, "/chain/greeting?mode=sideways").statusCode()).isEqualTo(400);
	}

	/**
	 * 300 puts from 10 concurrent clients spread over the three members (as {@code xargs -P 10 curl} against them);
	 * the leader is SIGKILLed when half have been sent. A client whose member is gone sends the same put to the next
	 * one, as a load balancer would. At least 95 % must be acknowledged within 60 s of the start, and every
	 * acknowledged put must be readable afterwards from a survivor.
	 */
	private void putsAcrossALeaderKill(AppProcesses cluster, String store, List<Member> members) throws Exception {
		int puts = 300;
		String prefix = "load-" + UUID.randomUUID().toString().substring(0, 8) + "-";
		Member leader = cluster.leader().orElseThrow();
		Map<String, String> acknowledged = new ConcurrentHashMap<>();
		CountDownLatch half = new CountDownLatch(puts / 2);
		long start = System.nanoTime();
		long deadline = start + TimeUnit.SECONDS.toNanos(60);
		ExecutorService clients = Executors.newFixedThreadPool(10);
		List<Future<?>> work = new ArrayList<>();
		for (int i = 0; i < puts; i++) {
			int n = i;
			work.add(clients.submit(() -> {
				String key = prefix + n;
				String value = "value-" + n;
				half.countDown();
				for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
					Member target = members.get((n + attempt) % members.size());
					try {
						HttpResponse<String> response = cluster.post(target, "/put", key + " " + value);
						if (response.statusCode() == 200) {
							acknowledged.put(key, value);
							return;
						}
					}
					catch (IOException ex) {
						// that member is gone (or the connection broke): the next one
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						return;
					}
				}
			}));
		}
		half.await(60, TimeUnit.SECONDS);
		long killed = System.nanoTime();
		leader.process().destroyForcibly();
		for (Future<?> future : work) {
			future.get(90, TimeUnit.SECONDS);
		}
		clients.shutdown();
		long took = System.nanoTime() - start;
		await().atMost(Timing.seconds(30))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> cluster.leader().filter((m) -> m != leader).isPresent());
		Member successor = cluster.leader().orElseThrow();
		System.out.printf("[MultiProcessClusterIT/%s] %d puts, leader %s SIGKILLed at the half (%d ms in): %d"
				+ " acknowledged in %d ms; %s leads%n", store, puts, leader, (killed - start) / 1_000_000,
				acknowledged.size(), took / 1_000_000, successor);
		assertThat(acknowledged.size()).as("puts acknowledged within 60 s").isGreaterThanOrEqualTo(puts * 95 / 100);
		Member survivor = cluster.alive().stream().filter((m) -> m != successor).findFirst().orElse(successor);
		List<String> lost = new ArrayList<>();
		for (Map.Entry<String, String> put : acknowledged.entrySet()) {
			HttpResponse<String> get = cluster.post(survivor, "/get", put.getKey());
			if (get.statusCode() != 200 || !get.body().contains(put.getValue())) {
				lost.add(put.getKey());
			}
		}
		assertThat(lost).as("acknowledged puts not readable afterwards").isEmpty();
		assertThat(cluster.post(survivor, "/send", "again").body()).contains("hello again");
		assertThat(cluster.post(survivor, "/get", "greeting").body()).contains("hello world");
	}

}
