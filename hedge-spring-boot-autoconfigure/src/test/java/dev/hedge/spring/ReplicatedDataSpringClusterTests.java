package dev.hedge.spring;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;

import dev.hedge.crdt.GSet;
import dev.hedge.replicator.Consistency;
import dev.hedge.replicator.DataType;
import dev.hedge.testsupport.EmbeddedDatabaseExtension;
import dev.hedge.testsupport.EmbeddedTestDatabase;
import dev.hedge.testsupport.Timing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two Spring Boot applications in one JVM, each with its own Spring gRPC server and HTTP server on loopback: likes
 * added through {@link HedgeReplicatedData} on either one reach the other (over the {@code hedge.v1.Replicator}
 * service bean), a MAJORITY write is readable on the other at once, the other publishes
 * {@link HedgeReplicatedDataChangedEvent}s, {@code GET /actuator/hedge} shows the {@code replicatedData} section and
 * the {@code hedge.crdt.*} meters count what travelled.
 */
@ExtendWith(EmbeddedDatabaseExtension.class)
class ReplicatedDataSpringClusterTests {

	static final Map<String, List<HedgeReplicatedDataChangedEvent>> EVENTS = new ConcurrentHashMap<>();

	private static final DataType<GSet<String>> USERS = DataType.growOnlySet(String.class);

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final TestApplications apps;

	ReplicatedDataSpringClusterTests(EmbeddedTestDatabase database) {
		this.apps = new TestApplications(database.directory().resolve("store"),
				"crdt-" + UUID.randomUUID().toString().substring(0, 8));
	}

	@AfterEach
	void stop() {
		this.apps.close();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

		@Bean
		Object recorder(Environment environment) {
			List<HedgeReplicatedDataChangedEvent> events = EVENTS
				.computeIfAbsent(environment.getProperty("app.name"), (k) -> new CopyOnWriteArrayList<>());
			return new Object() {
				@EventListener
				void changed(HedgeReplicatedDataChangedEvent event) {
					events.add(event);
				}
			};
		}

	}

	private ConfigurableApplicationContext start(String name) {
		return this.apps.start(new Class<?>[] { App.class }, "--app.name=" + name,
				"--spring.main.web-application-type=servlet", "--server.port=0", "--server.address=127.0.0.1",
				"--management.endpoints.web.exposure.include=hedge", "--hedge.crdt.delta-interval=50ms",
				"--hedge.crdt.gossip-interval=500ms");
	}

	@Test
	void likesAddedOnEitherApplicationReachTheOtherWithEventsEndpointAndMeters() throws Exception {
		ConfigurableApplicationContext a = start("a");
		ConfigurableApplicationContext b = start("b");
		await().atMost(Timing.seconds(15)).until(() -> TestApplications.node(a).members().size() == 2
				&& TestApplications.node(b).members().size() == 2);
		HedgeReplicatedData onA = a.getBean(HedgeReplicatedData.class);
		HedgeReplicatedData onB = b.getBean(HedgeReplicatedData.class);

		onA.map("likes", String.class, USERS).update("post-1", (users, replica) -> users.add("alice"));
		onB.map("likes", String.class, USERS).update("post-1", (users, replica) -> users.add("bob"));
		onB.map("likes", String.class, USERS).update("post-1", (users, replica) -> users.add("alice"));
		onA.counter("views").increment(3);
		await().atMost(Timing.seconds(5)).untilAsserted(() -> {
			for (HedgeReplicatedData data : List.of(onA, onB)) {
				assertThat(data.map("likes", String.class, USERS).get("post-1").map(GSet::elements))
					.contains(java.util.Set.of("alice", "bob"));
				assertThat(data.counter("views").value()).isEqualTo(3);
			}
		});
		Consistency majority = Consistency.majority(Timing.seconds(3));
		onB.growOnlySet("likes/post-2", String.class).add("carol", majority);
		assertThat(onA.growOnlySet("likes/post-2", String.class).elements(majority)).containsExactly("carol");

		await().atMost(Timing.seconds(5))
			.until(() -> EVENTS.get("b").stream().anyMatch((e) -> e.getName().equals("views")));
		HedgeReplicatedDataChangedEvent views = EVENTS.get("b")
			.stream()
			.filter((e) -> e.getName().equals("views"))
			.reduce((first, second) -> second)
			.orElseThrow();
		assertThat(views.getValue(DataType.counter()).exactValue()).isEqualTo(3);
		assertThat(views.getSource()).isSameAs(TestApplications.node(b));

		JsonNode hedge = get(b, "/actuator/hedge").get("replicatedData");
		assertThat(hedge.get("replicaId").asText()).startsWith(TestApplications.node(b).nodeId() + "#");
		assertThat(hedge.get("names").asInt()).isEqualTo(3);
		assertThat(hedge.get("durable").asBoolean()).isFalse();
		assertThat(hedge.get("loaded").asBoolean()).isTrue();
		assertThat(hedge.get("peersToRepair").isArray()).isTrue();
		assertThat(hedge.has("lastDiffering")).isTrue();
		assertThat(hedge.has("repairedParts")).isTrue();

		MeterRegistry meters = b.getBean(MeterRegistry.class);
		assertThat(meters.get("hedge.crdt.deltas").tag("direction", "received").counter().count()).isPositive();
		assertThat(meters.get("hedge.crdt.bytes").tag("direction", "sent").counter().count()).isPositive();
		assertThat(meters.get("hedge.crdt.consistent").tag("operation", "write").tag("outcome", "ok").timer().count())
			.isEqualTo(1);
		assertThat(meters.find("hedge.crdt.divergence").gauge()).isNotNull();
		assertThat(meters.find("hedge.crdt.anti-entropy.repairs").counter()).isNotNull();
	}

	private JsonNode get(ConfigurableApplicationContext context, String path) throws Exception {
		int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
		return new ObjectMapper().readTree(response.body());
	}

}
