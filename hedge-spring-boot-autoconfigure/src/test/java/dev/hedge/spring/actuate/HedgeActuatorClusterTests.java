package dev.hedge.spring.actuate;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.hedge.HedgeNode;
import dev.hedge.semaphore.HedgeSemaphore;
import dev.hedge.semaphore.Permit;
import dev.hedge.spring.HedgeKeyValueTemplate;
import dev.hedge.spring.TestApplications;
import dev.hedge.spring.autoconfigure.HedgeNodeCustomizer;
import dev.hedge.testsupport.EmbeddedDatabaseExtension;
import dev.hedge.testsupport.EmbeddedTestDatabase;
import dev.hedge.testsupport.Timing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three Spring Boot applications in one JVM on one store, each with a real HTTP server on a random port and every
 * actuator endpoint exposed, called over HTTP as an operator would: {@code GET /actuator/hedge} agrees on the leader
 * everywhere and lists every member, {@code GET /actuator/health} shows the {@code hedge} component UP with details,
 * {@code GET /actuator/metrics/hedge.*} shows the meters after sends, broadcasts, puts and semaphore cycles, and
 * {@code POST /actuator/hedge} (the yield write operation, no body) moves leadership to another application.
 */
@ExtendWith(EmbeddedDatabaseExtension.class)
class HedgeActuatorClusterTests {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final TestApplications apps;

	private final String group = "actuator-" + UUID.randomUUID().toString().substring(0, 8);

	HedgeActuatorClusterTests(EmbeddedTestDatabase database) {
		this.apps = new TestApplications(database.directory().resolve("store"), this.group);
	}

	@AfterEach
	void stop() {
		this.apps.close();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

		@Bean
		HedgeNodeCustomizer handlers() {
			return (builder) -> builder.leaderHandler((m) -> ("hello " + new String(m.payload(), StandardCharsets.UTF_8))
				.getBytes(StandardCharsets.UTF_8)).broadcastHandler((m) -> m.payload());
		}

	}

	private ConfigurableApplicationContext start() {
		return this.apps.start(new Class<?>[] { App.class }, "--spring.main.web-application-type=servlet",
				"--server.port=0", "--server.address=127.0.0.1", "--management.endpoints.web.exposure.include=*",
				"--management.endpoint.health.show-details=always", "--hedge.semaphores.jobs.limit=2");
	}

	@Test
	void operatorsSeeTheGroupItsHealthAndItsMetersOverHttpAndCanMoveLeadership() throws Exception {
		List<ConfigurableApplicationContext> contexts = List.of(start(), start(), start());
		await().atMost(Timing.seconds(15)).until(() -> this.apps.leader().isPresent()
				&& contexts.stream().allMatch((c) -> TestApplications.node(c).members().size() == 3));
		ConfigurableApplicationContext leading = this.apps.leader().orElseThrow();
		HedgeNode leader = TestApplications.node(leading);
		Set<String> ids = contexts.stream().map((c) -> TestApplications.node(c).nodeId()).collect(Collectors.toSet());

		for (ConfigurableApplicationContext context : contexts) {
			HedgeNode node = TestApplications.node(context);
			JsonNode hedge = get(context, "/actuator/hedge");
			assertThat(hedge.get("id").asText()).isEqualTo(node.nodeId());
			assertThat(hedge.get("group").asText()).isEqualTo(this.group);
			assertThat(hedge.get("running").asBoolean()).isTrue();
			assertThat(hedge.get("leader").asText()).isEqualTo(leader.nodeId());
			assertThat(hedge.get("isLeader").asBoolean()).isEqualTo(context == leading);
			assertThat(hedge.get("epoch").asLong()).isEqualTo(leader.epoch());
			assertThat(hedge.get("store").asText()).isEqualTo("embedded");
			assertThat(hedge.get("security").asText()).isEqualTo("loopback-only");
			assertThat(hedge.get("leaseRemainingMillis").isNull()).isEqualTo(context != leading);
			assertThat(hedge.get("membershipVersion").isNumber()).isTrue();
			assertThat(ids(hedge.get("members"))).isEqualTo(ids);
			for (JsonNode member : hedge.get("members")) {
				assertThat(member.get("leader").asBoolean()).isEqualTo(member.get("id").asText().equals(leader.nodeId()));
				assertThat(member.get("lastSeenMillis").isNumber()).isEqualTo(context == leading);
			}
			assertThat(hedge.get("semaphores").get(0).get("name").asText()).isEqualTo("jobs");
			assertThat(hedge.get("semaphores").get(0).get("limit").asInt()).isEqualTo(2);

			JsonNode health = get(context, "/actuator/health").get("components").get("hedge");
			assertThat(health.get("status").asText()).isEqualTo("UP");
			assertThat(health.get("details").get("leader").asText()).isEqualTo(leader.nodeId());
			assertThat(health.get("details").get("members").asInt()).isEqualTo(3);
			assertThat(health.get("details").get("store").asText()).isEqualTo("embedded");
			assertThat(health.get("details").get("isLeader").asBoolean()).isEqualTo(context == leading);
		}

		System.out.printf("[HedgeActuatorClusterTests] GET /actuator/hedge on the leader:%n%s%n",
				get(leading, "/actuator/hedge").toPrettyString());
		ConfigurableApplicationContext following = contexts.stream().filter((c) -> c != leading).findFirst().orElseThrow();
		HedgeNode follower = TestApplications.node(following);
		for (int i = 0; i < 3; i++) {
			follower.send(("x" + i).getBytes(StandardCharsets.UTF_8));
		}
		follower.broadcast("b".getBytes(StandardCharsets.UTF_8));
		following.getBean(HedgeKeyValueTemplate.class).put("greeting", "hello");
		HedgeSemaphore jobs = following.getBean("jobs", HedgeSemaphore.class);
		for (int i = 0; i < 2; i++) {
			jobs.acquire().close();
		}
		try (Permit permit = jobs.acquire()) {
			JsonNode semaphore = get(following, "/actuator/hedge").get("semaphores").get(0);
			assertThat(semaphore.get("permitsHeld").asInt()).isEqualTo(1);
			assertThat(semaphore.get("holders")).singleElement()
				.satisfies((holder) -> assertThat(holder.get("holder").asText()).isEqualTo(follower.nodeId()));
			assertThat(value(following, "hedge.semaphore.permits.held", "semaphore:jobs")).isEqualTo(1);
		}

		System.out.printf("[HedgeActuatorClusterTests] GET /actuator/hedge and the hedge health on a follower:%n%s%n%s%n",
				get(following, "/actuator/hedge").toPrettyString(),
				get(following, "/actuator/health").get("components").get("hedge").toPrettyString());
		assertThat(value(leading, "hedge.leader")).isEqualTo(1);
		assertThat(value(following, "hedge.leader")).isZero();
		assertThat(value(following, "hedge.members")).isEqualTo(3);
		assertThat(value(following, "hedge.epoch")).isEqualTo(leader.epoch());
		assertThat(get(following, "/actuator/metrics/hedge.leader").get("availableTags").get(0).get("tag").asText())
			.isEqualTo("group");
		assertThat(count(following, "hedge.send", "outcome:ok")).isEqualTo(3);
		assertThat(count(following, "hedge.kv.put", "outcome:ok")).isEqualTo(1);
		assertThat(count(following, "hedge.semaphore.acquire", "outcome:ok", "semaphore:jobs")).isEqualTo(3);
		assertThat(count(following, "hedge.semaphore.release", "outcome:ok", "semaphore:jobs")).isEqualTo(3);
		assertThat(value(following, "hedge.semaphore.permits.held", "semaphore:jobs")).isZero();
		assertThat(value(following, "hedge.semaphore.limit", "semaphore:jobs")).isEqualTo(2);
		await().atMost(Timing.seconds(5)).until(() -> count(following, "hedge.broadcast", "outcome:ok") == 1);
		await().atMost(Timing.seconds(5)).until(() -> count(leading, "hedge.election.renewals", "outcome:renewed") > 0);
		assertThat(get(following, "/actuator/metrics/hedge.send").get("availableTags").findValuesAsText("tag"))
			.contains("group", "outcome");

		long epoch = leader.epoch();
		HttpResponse<String> yielded = this.http.send(HttpRequest.newBuilder(uri(leading, "/actuator/hedge"))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(yielded.statusCode()).isEqualTo(200);
		JsonNode answer = JSON.readTree(yielded.body());
		assertThat(answer.get("yielded").asBoolean()).isTrue();
		assertThat(answer.get("epoch").asLong()).isEqualTo(epoch);
		await().atMost(Timing.seconds(10))
			.until(() -> this.apps.leader().filter((c) -> c != leading).isPresent());
		String next = TestApplications.node(this.apps.leader().orElseThrow()).nodeId();
		await().atMost(Timing.seconds(5)).untilAsserted(() -> {
			for (ConfigurableApplicationContext context : contexts) {
				JsonNode hedge = get(context, "/actuator/hedge");
				assertThat(hedge.get("leader").asText()).isEqualTo(next);
				assertThat(hedge.get("epoch").asLong()).isGreaterThan(epoch);
			}
		});
		HttpResponse<String> refused = this.http.send(HttpRequest.newBuilder(uri(leading, "/actuator/hedge"))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(JSON.readTree(refused.body()).get("yielded").asBoolean()).isFalse();
	}

	private static Set<String> ids(JsonNode members) {
		return members.findValuesAsText("id").stream().collect(Collectors.toSet());
	}

	private URI uri(ConfigurableApplicationContext context, String path) {
		int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
		return URI.create("http://127.0.0.1:" + port + path);
	}

	private JsonNode get(ConfigurableApplicationContext context, String path) throws IOException, InterruptedException {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(uri(context, path)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
		return JSON.readTree(response.body());
	}

	private double measurement(ConfigurableApplicationContext context, String meter, String statistic, String... tags)
			throws IOException, InterruptedException {
		StringBuilder path = new StringBuilder("/actuator/metrics/").append(meter);
		for (int i = 0; i < tags.length; i++) {
			path.append((i == 0) ? '?' : '&').append("tag=").append(tags[i]);
		}
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(uri(context, path.toString())).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() == 404) {
			return 0;
		}
		for (JsonNode measurement : JSON.readTree(response.body()).get("measurements")) {
			if (measurement.get("statistic").asText().equals(statistic)) {
				return measurement.get("value").asDouble();
			}
		}
		throw new AssertionError("no " + statistic + " in " + response.body());
	}

	private double count(ConfigurableApplicationContext context, String meter, String... tags)
			throws IOException, InterruptedException {
		return measurement(context, meter, "COUNT", tags);
	}

	private double value(ConfigurableApplicationContext context, String meter, String... tags)
			throws IOException, InterruptedException {
		return measurement(context, meter, "VALUE", tags);
	}

}
