package dev.hedge.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.hedge.HedgeNode;
import dev.hedge.testsupport.Timing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The seed's likes API over real HTTP on three sample applications in one JVM (each with its own HTTP and gRPC
 * server on loopback, one embedded store): 30 users like two posts, every like sent twice to different instances by
 * 6 concurrent clients; every instance then answers exactly 30 and 12 for the posts. Bad bodies get 400.
 */
class LikesApiTests {

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final List<ConfigurableApplicationContext> apps = new ArrayList<>();

	@AfterEach
	void stop() {
		this.apps.forEach(ConfigurableApplicationContext::close);
	}

	private ConfigurableApplicationContext start(Path store, String group) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class).run(
				"--spring.application.name=" + group, "--server.port=0", "--server.address=127.0.0.1",
				"--spring.grpc.server.port=0", "--spring.grpc.server.host=127.0.0.1", "--hedge.node.address=127.0.0.1",
				"--hedge.embedded.path=" + store, "--hedge.election.lease-duration=3s",
				"--hedge.election.renew-interval=1s", "--hedge.election.poll-interval=500ms",
				"--hedge.membership.heartbeat-interval=500ms", "--hedge.membership.member-timeout=3s",
				"--sample.leader-task-rate=1h", "--spring.main.banner-mode=off");
		this.apps.add(context);
		return context;
	}

	@Test
	void everyUsersLikeCountsOnceFromAnyInstance() throws Exception {
		Path store = Files.createTempDirectory("hedge-likes");
		String group = "likes-" + UUID.randomUUID().toString().substring(0, 8);
		List<ConfigurableApplicationContext> instances = List.of(start(store, group), start(store, group),
				start(store, group));
		await().atMost(Timing.seconds(30))
			.until(() -> instances.stream().allMatch((c) -> c.getBean(HedgeNode.class).members().size() == 3));

		AtomicInteger clientIds = new AtomicInteger();
		ExecutorService clients = Executors.newFixedThreadPool(6,
				(task) -> new Thread(task, "likes-http-client-" + clientIds.incrementAndGet()));
		List<Future<Integer>> statuses = new ArrayList<>();
		try {
			for (int user = 0; user < 30; user++) {
				for (int copy = 0; copy < 2; copy++) {
					ConfigurableApplicationContext target = instances.get((user + copy) % 3);
					String who = "user-" + user;
					statuses.add(clients.submit(() -> post(target, "/likes/post-a", who).statusCode()));
					if (user % 5 < 2) {
						statuses.add(clients.submit(() -> post(target, "/likes/post-b", who).statusCode()));
					}
				}
			}
			for (Future<Integer> status : statuses) {
				assertThat(status.get()).isEqualTo(200);
			}
		}
		finally {
			clients.shutdownNow();
		}
		await().atMost(Timing.seconds(5)).untilAsserted(() -> {
			for (ConfigurableApplicationContext instance : instances) {
				assertThat(get(instance, "/likes/post-a").body().strip()).isEqualTo("30");
				assertThat(get(instance, "/likes/post-b").body().strip()).isEqualTo("12");
				assertThat(get(instance, "/likes/post-never-liked").body().strip()).isEqualTo("0");
			}
		});
		HttpResponse<String> again = post(instances.get(2), "/likes/post-a", "user-7");
		assertThat(again.statusCode()).isEqualTo(200);
		assertThat(again.body().strip()).isEqualTo("30");
		assertThat(post(instances.get(0), "/likes/post-a", "").statusCode()).isEqualTo(400);
		assertThat(post(instances.get(0), "/likes/post-a", "two words").statusCode()).isEqualTo(400);
	}

	private URI uri(ConfigurableApplicationContext context, String path) {
		int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
		return URI.create("http://127.0.0.1:" + port + path);
	}

	private HttpResponse<String> post(ConfigurableApplicationContext context, String path, String body)
			throws Exception {
		return this.http.send(HttpRequest.newBuilder(uri(context, path))
			.header("Content-Type", "text/plain")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> get(ConfigurableApplicationContext context, String path) throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(uri(context, path)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
		return response;
	}

}
