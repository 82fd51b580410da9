package dev.hedge.spring.annotation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import dev.hedge.HedgeNode;
import dev.hedge.messaging.BroadcastResult;
import dev.hedge.messaging.HandlerFailedException;
import dev.hedge.messaging.InboundMessage;
import dev.hedge.spring.TestApplications;
import dev.hedge.testsupport.EmbeddedDatabaseExtension;
import dev.hedge.testsupport.EmbeddedTestDatabase;
import dev.hedge.testsupport.Timing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Three Spring Boot applications in one JVM on one store, whose {@code @LeaderHandler} and
 * {@code @BroadcastHandler} methods take and return JSON records, Strings and bytes: every application's send is
 * answered by the leader's method, every broadcast by all three, and a method's exception reaches the sender as a
 * {@link HandlerFailedException} carrying its message.
 */
@ExtendWith(EmbeddedDatabaseExtension.class)
class AnnotatedHandlerClusterTests {

	static final Map<String, Queue<String>> RECEIVED = new ConcurrentHashMap<>();

	private final ObjectMapper json = new ObjectMapper();

	private final TestApplications apps;

	AnnotatedHandlerClusterTests(EmbeddedTestDatabase database) {
		this.apps = new TestApplications(database.directory().resolve("store"), "handlers-" + UUID.randomUUID());
	}

	@AfterEach
	void stop() {
		this.apps.close();
	}

	@Test
	void jsonRecordHandlersAnswerSendFromEveryApplicationAndBroadcastFromEveryMember() throws Exception {
		List<ConfigurableApplicationContext> contexts = startCluster(JsonApp.class);
		String leader = name(this.apps.leader().orElseThrow());
		for (ConfigurableApplicationContext context : contexts) {
			HedgeNode node = TestApplications.node(context);
			Greeting reply = this.json.readValue(node.send(this.json.writeValueAsBytes(new Person("ada", 36))),
					Greeting.class);
			assertThat(reply).isEqualTo(new Greeting("hello ada (36)", leader, node.nodeId()));
			List<BroadcastResult> results = node.broadcast(this.json.writeValueAsBytes(new Person("bob", 7)));
			assertThat(results).hasSize(3).allSatisfy((result) -> assertThat(result.ok()).isTrue());
			assertThat(results).extracting((result) -> this.json.readValue(result.reply(), Greeting.class))
				.extracting(Greeting::by, Greeting::text)
				.containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("a", "broadcast bob"),
						org.assertj.core.groups.Tuple.tuple("b", "broadcast bob"),
						org.assertj.core.groups.Tuple.tuple("c", "broadcast bob"));
		}
	}

	@Test
	void stringHandlersAnswerSendFromEveryApplicationAndBroadcastFromEveryMember() {
		List<ConfigurableApplicationContext> contexts = startCluster(StringApp.class);
		String leader = name(this.apps.leader().orElseThrow());
		for (ConfigurableApplicationContext context : contexts) {
			HedgeNode node = TestApplications.node(context);
			String text = "héllo ✓ " + name(context);
			assertThat(new String(node.send(text.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8))
				.isEqualTo("hello " + text + " from " + leader);
			List<BroadcastResult> results = node.broadcast(text.getBytes(StandardCharsets.UTF_8));
			assertThat(results).hasSize(3)
				.allSatisfy((result) -> assertThat(result.ok()).isTrue())
				.allSatisfy((result) -> assertThat(result.reply()).as("void handler: empty reply").isEmpty());
			for (String member : List.of("a", "b", "c")) {
				assertThat(RECEIVED.get(member)).contains(node.nodeId() + " " + text);
			}
		}
	}

	@Test
	void byteArrayHandlersAnswerSendFromEveryApplicationAndBroadcastFromEveryMember() {
		List<ConfigurableApplicationContext> contexts = startCluster(BytesApp.class);
		for (ConfigurableApplicationContext context : contexts) {
			HedgeNode node = TestApplications.node(context);
			byte[] payload = { 1, 2, (byte) 0xff, 0, (byte) 0xc3 };
			assertThat(node.send(payload)).containsExactly((byte) 0xc3, 0, (byte) 0xff, 2, 1);
			List<BroadcastResult> results = node.broadcast(new byte[0]);
			assertThat(results).hasSize(3).allSatisfy((result) -> assertThat(result.ok()).isTrue());
			assertThat(results).extracting((result) -> new String(result.reply(), StandardCharsets.UTF_8))
				.containsExactlyInAnyOrder("a answers " + node.nodeId(), "b answers " + node.nodeId(),
						"c answers " + node.nodeId());
		}
	}

	@Test
	void exceptionsThrownByHandlerMethodsReachTheSenderWithTheirMessage() throws Exception {
		List<ConfigurableApplicationContext> contexts = startCluster(JsonApp.class);
		HedgeNode leader = TestApplications.node(this.apps.leader().orElseThrow());
		for (ConfigurableApplicationContext context : contexts) {
			HedgeNode node = TestApplications.node(context);
			byte[] refused = this.json.writeValueAsBytes(new Person("mallory", 40));
			assertThatExceptionOfType(HandlerFailedException.class).isThrownBy(() -> node.send(refused))
				.withMessageContaining("java.lang.IllegalArgumentException: mallory may not be greeted")
				.satisfies((ex) -> assertThat(ex.getMember()).isEqualTo(leader.nodeId()));
			List<BroadcastResult> results = node.broadcast(refused);
			assertThat(results).hasSize(3).allSatisfy((result) -> {
				assertThat(result.error()).isInstanceOf(HandlerFailedException.class)
					.hasMessageContaining("java.io.IOException: cannot broadcast to mallory");
			});
			assertThatExceptionOfType(HandlerFailedException.class)
				.isThrownBy(() -> node.send("not json".getBytes(StandardCharsets.UTF_8)))
				.withMessageContaining("cannot read " + Person.class.getName() + " from JSON");
		}
	}

	private List<ConfigurableApplicationContext> startCluster(Class<?> app) {
		List<ConfigurableApplicationContext> contexts = List.of(start(app, "a"), start(app, "b"), start(app, "c"));
		await().atMost(Timing.seconds(15)).until(() -> this.apps.leader().isPresent()
				&& contexts.stream().allMatch((c) -> TestApplications.node(c).members().size() == 3));
		return contexts;
	}

	private ConfigurableApplicationContext start(Class<?> app, String name) {
		RECEIVED.put(name, new ConcurrentLinkedQueue<>());
		return this.apps.start(new Class<?>[] { app }, "--app.name=" + name);
	}

	private static String name(ConfigurableApplicationContext context) {
		return context.getEnvironment().getProperty("app.name");
	}

	record Person(String name, int age) {
	}

	record Greeting(String text, String by, String sender) {
	}

	static class JsonHandlers {

		private final String name;

		JsonHandlers(@Value("${app.name}") String name) {
			this.name = name;
		}

		@LeaderHandler
		Greeting greet(InboundMessage message, Person person) {
			if (person.name().equals("mallory")) {
				throw new IllegalArgumentException("mallory may not be greeted");
			}
			return new Greeting("hello " + person.name() + " (" + person.age() + ")", this.name, message.sender());
		}

		@BroadcastHandler
		Greeting broadcast(Person person) throws IOException {
			if (person.name().equals("mallory")) {
				throw new IOException("cannot broadcast to mallory");
			}
			return new Greeting("broadcast " + person.name(), this.name, null);
		}

	}

	static class StringHandlers {

		private final String name;

		StringHandlers(@Value("${app.name}") String name) {
			this.name = name;
		}

		@LeaderHandler
		public String hello(String text) {
			return "hello " + text + " from " + this.name;
		}

		@BroadcastHandler
		void remember(String text, InboundMessage message) {
			RECEIVED.get(this.name).add(message.sender() + " " + text);
		}

	}

	static class BytesHandlers {

		private final String name;

		BytesHandlers(@Value("${app.name}") String name) {
			this.name = name;
		}

		@LeaderHandler
		byte[] reverse(byte[] payload) {
			byte[] reversed = new byte[payload.length];
			for (int i = 0; i < payload.length; i++) {
				reversed[i] = payload[payload.length - 1 - i];
			}
			return reversed;
		}

		@BroadcastHandler
		String whoAnswers(InboundMessage message) {
			return this.name + " answers " + message.sender();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(JsonHandlers.class)
	static class JsonApp {

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(StringHandlers.class)
	static class StringApp {

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(BytesHandlers.class)
	static class BytesApp {

	}

}
