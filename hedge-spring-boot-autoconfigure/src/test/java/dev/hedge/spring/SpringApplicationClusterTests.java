package dev.hedge.spring;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;

import dev.hedge.HedgeNode;
import dev.hedge.messaging.BroadcastResult;
import dev.hedge.spring.autoconfigure.HedgeNodeCustomizer;
import dev.hedge.testsupport.EmbeddedDatabaseExtension;
import dev.hedge.testsupport.EmbeddedTestDatabase;
import dev.hedge.testsupport.Timing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three Spring Boot applications in one JVM on one store: hedge starts once each gRPC server listens (member id =
 * address + gRPC port), they form one group, answer send and broadcast, publish Spring events, and hand leadership
 * over in under a second when the leading application closes.
 */
@ExtendWith(EmbeddedDatabaseExtension.class)
class SpringApplicationClusterTests {

	static final Map<String, List<Object>> EVENTS = new ConcurrentHashMap<>();

	private final TestApplications apps;

	SpringApplicationClusterTests(EmbeddedTestDatabase database) {
		this.apps = new TestApplications(database.directory().resolve("store"), "apps-" + UUID.randomUUID());
	}

	@AfterEach
	void stop() {
		this.apps.close();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

		@Bean
		HedgeNodeCustomizer handlers(Environment environment) {
			String name = environment.getProperty("app.name");
			return (builder) -> builder
				.leaderHandler((m) -> ("hello " + new String(m.payload(), StandardCharsets.UTF_8) + " from " + name)
					.getBytes(StandardCharsets.UTF_8))
				.broadcastHandler((m) -> ("broadcast " + new String(m.payload(), StandardCharsets.UTF_8))
					.getBytes(StandardCharsets.UTF_8));
		}

		@Bean
		Object recorder(Environment environment) {
			String name = environment.getProperty("app.name");
			List<Object> events = EVENTS.computeIfAbsent(name, (k) -> new CopyOnWriteArrayList<>());
			return new Object() {
				@EventListener
				void leadership(HedgeLeadershipEvent event) {
					events.add(event);
				}

				@EventListener
				void membership(HedgeMembershipChangedEvent event) {
					events.add(event);
				}

				@EventListener
				void leaderChanged(HedgeLeaderChangedEvent event) {
					events.add(event);
				}
			};
		}

	}

	private ConfigurableApplicationContext start(String name) {
		return this.apps.start(new Class<?>[] { App.class }, "--app.name=" + name);
	}

	@Test
	void threeApplicationsFormOneGroupAnswerAndHandOverWithinASecond() throws Exception {
		List<ConfigurableApplicationContext> contexts = List.of(start("a"), start("b"), start("c"));
		await().atMost(Timing.seconds(15)).until(() -> this.apps.leader().isPresent()
				&& contexts.stream().allMatch((c) -> TestApplications.node(c).members().size() == 3));
		for (ConfigurableApplicationContext context : contexts) {
			HedgeNode node = TestApplications.node(context);
			int port = context.getBean(org.springframework.grpc.server.lifecycle.GrpcServerLifecycle.class).getPort();
			assertThat(node.nodeId()).as("member id uses the gRPC server's port").isEqualTo("127.0.0.1:" + port);
			String reply = new String(node.send("x".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
			assertThat(reply).startsWith("hello x from ");
			List<BroadcastResult> results = node.broadcast("y".getBytes(StandardCharsets.UTF_8));
			assertThat(results).hasSize(3).allSatisfy((r) -> assertThat(r.ok()).isTrue());
		}
		ConfigurableApplicationContext leading = this.apps.leader().orElseThrow();
		String leaderName = leading.getEnvironment().getProperty("app.name");
		long epoch = TestApplications.node(leading).epoch();
		assertThat(EVENTS.get(leaderName)).filteredOn(HedgeLeadershipEvent.Granted.class::isInstance)
			.extracting((e) -> ((HedgeLeadershipEvent) e).getEpoch())
			.contains(epoch);
		await().atMost(Timing.seconds(3)).until(() -> contexts.stream()
			.map((c) -> c.getEnvironment().getProperty("app.name"))
			.allMatch((n) -> EVENTS.get(n).stream().anyMatch(HedgeMembershipChangedEvent.class::isInstance)));
		String leaderId = TestApplications.node(leading).nodeId();
		for (ConfigurableApplicationContext context : contexts) {
			String name = context.getEnvironment().getProperty("app.name");
			assertThat(EVENTS.get(name)).as("leader changes published on %s", name)
				.filteredOn(HedgeLeaderChangedEvent.class::isInstance)
				.map(HedgeLeaderChangedEvent.class::cast)
				.anySatisfy((event) -> {
					assertThat(event.getLeaderId()).contains(leaderId);
					assertThat(event.getEpoch()).isEqualTo(epoch);
					assertThat(event.isSelf()).isEqualTo(context == leading);
				});
		}

		// measured from the close() call, on its own thread: a new leader must exist before close() has finished
		ExecutorService closer = Executors.newSingleThreadExecutor();
		long closing = System.nanoTime();
		Future<?> closed = closer.submit(leading::close);
		await().atMost(Timing.seconds(5))
			.pollInterval(Duration.ofMillis(5))
			.until(() -> this.apps.leader().filter((c) -> c != leading).isPresent());
		long handover = (System.nanoTime() - closing) / 1_000_000;
		closed.get(30, TimeUnit.SECONDS);
		closer.shutdown();
		System.out.printf("[SpringApplicationClusterTests] closing the leading application handed over in %d ms%n",
				handover);
		assertThat(handover).as("ms from close() to a new leader").isLessThan(1000);
		assertThat(EVENTS.get(leaderName)).filteredOn(HedgeLeadershipEvent.Revoked.class::isInstance)
			.extracting((e) -> ((HedgeLeadershipEvent) e).getEpoch())
			.contains(epoch);
		assertThat(TestApplications.node(this.apps.leader().get()).epoch()).isGreaterThan(epoch);
	}

}
