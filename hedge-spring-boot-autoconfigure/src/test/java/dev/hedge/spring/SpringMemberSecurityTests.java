package dev.hedge.spring;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.hedge.HedgeNode;
import dev.hedge.common.HedgeConfigurationException;
import dev.hedge.messaging.RequestRejectedException;
import dev.hedge.spring.autoconfigure.HedgeNodeCustomizer;
import dev.hedge.testsupport.EmbeddedDatabaseExtension;
import dev.hedge.testsupport.EmbeddedTestDatabase;
import dev.hedge.testsupport.TestCertificates;
import dev.hedge.testsupport.Timing;
import dev.hedge.transport.grpc.Failure;
import dev.hedge.transport.grpc.RawCalls;
import dev.hedge.transport.grpc.proto.Payload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code hedge.security.*} in Spring Boot applications on the Spring gRPC server: mutual TLS from an SSL bundle, a
 * group secret, and the start refusals (an unauthenticated member on a network address, a gRPC server whose TLS does
 * not match hedge's).
 */
@ExtendWith(EmbeddedDatabaseExtension.class)
class SpringMemberSecurityTests {

	private static final String PEM = "classpath:" + TestCertificates.FOLDER;

	private static final String[] BUNDLE = { "--spring.ssl.bundle.pem.members.keystore.certificate=" + PEM + "member.pem",
			"--spring.ssl.bundle.pem.members.keystore.private-key=" + PEM + "member.key",
			"--spring.ssl.bundle.pem.members.truststore.certificate=" + PEM + "hedge-ca.pem" };

	private final TestApplications apps;

	SpringMemberSecurityTests(EmbeddedTestDatabase database) {
		this.apps = new TestApplications(database.directory().resolve("store"), "sec-" + UUID.randomUUID());
	}

	@AfterEach
	void stop() {
		this.apps.close();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

		@Bean
		HedgeNodeCustomizer echo() {
			return (builder) -> builder.leaderHandler((m) -> m.payload());
		}

	}

	private static String[] with(String[] first, String... more) {
		String[] all = new String[first.length + more.length];
		System.arraycopy(first, 0, all, 0, first.length);
		System.arraycopy(more, 0, all, first.length, more.length);
		return all;
	}

	private List<HedgeNode> awaitGroup(List<ConfigurableApplicationContext> contexts) {
		List<HedgeNode> nodes = contexts.stream().map(TestApplications::node).toList();
		await().atMost(Timing.seconds(20)).until(() -> {
			Set<String> ids = nodes.stream().map(HedgeNode::nodeId).collect(Collectors.toSet());
			return this.apps.leader().isPresent() && nodes.stream().allMatch((n) -> Set.copyOf(n.members()).equals(ids));
		});
		return nodes;
	}

	@Test
	void anSslBundleGivesMutualTlsOnTheSpringGrpcServerAndHedgesChannels() {
		String[] args = with(BUNDLE, "--hedge.security.ssl-bundle=members");
		List<HedgeNode> nodes = awaitGroup(
				List.of(this.apps.start(new Class<?>[] { App.class }, args), this.apps.start(new Class<?>[] { App.class }, args)));
		for (HedgeNode node : nodes) {
			assertThat(node.send("tls".getBytes(StandardCharsets.UTF_8))).asString(StandardCharsets.UTF_8).isEqualTo("tls");
		}
		try (RawCalls plaintext = new RawCalls(nodes.get(0).nodeId())) {
			byte[] payload = Payload.newBuilder().setData(ByteString.copyFromUtf8("x")).build().toByteArray();
			assertThatThrownBy(() -> plaintext.unary("hedge.v1.Messaging/Send", payload,
					RawCalls.headers(nodes.get(0).group(), "127.0.0.1:1", "0")))
				.isInstanceOfSatisfying(StatusRuntimeException.class,
						(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
		}
	}

	@Test
	void aGroupSecretAuthenticatesMembersAndKeepsOthersOut() {
		String secret = "--hedge.security.secret=" + "s".repeat(40);
		List<HedgeNode> nodes = awaitGroup(List.of(this.apps.start(new Class<?>[] { App.class }, secret),
				this.apps.start(new Class<?>[] { App.class }, secret)));
		assertThat(nodes.get(1).send(new byte[] { 4 })).containsExactly(4);
		HedgeNode stranger = TestApplications.node(
				this.apps.start(new Class<?>[] { App.class }, "--hedge.security.secret=" + "t".repeat(40)));
		await().atMost(Timing.seconds(10)).until(() -> stranger.leaderId().isPresent());
		assertThatThrownBy(() -> stranger.send(new byte[] { 5 })).isInstanceOfSatisfying(RequestRejectedException.class,
				(ex) -> assertThat(ex.getKind()).isEqualTo(Failure.Kind.UNAUTHENTICATED));
		assertThat(nodes).allMatch((n) -> n.members().size() == 2);
	}

	@Test
	void anUnauthenticatedMemberOnANetworkAddressRefusesToStart() {
		assertThatThrownBy(() -> this.apps.start(new Class<?>[] { App.class }, "--hedge.node.address=10.1.2.3"))
			.rootCause()
			.isInstanceOfSatisfying(HedgeConfigurationException.class,
					(ex) -> assertThat(ex.getProperty()).isEqualTo("hedge.security.mode"));
		ConfigurableApplicationContext insecure = this.apps.start(new Class<?>[] { App.class },
				"--hedge.node.address=10.1.2.3", "--hedge.security.mode=none");
		assertThat(insecure.isActive()).isTrue();
	}

	@Test
	void aGrpcServerWhoseTlsDoesNotMatchHedgesIsRefused() {
		assertThatThrownBy(() -> this.apps.start(new Class<?>[] { App.class },
				with(BUNDLE, "--hedge.security.ssl-bundle=members", "--spring.grpc.server.ssl.client-auth=optional")))
			.rootCause()
			.isInstanceOf(HedgeConfigurationException.class)
			.hasMessageContaining("client-auth=require");
		assertThatThrownBy(() -> this.apps.start(new Class<?>[] { App.class },
				with(BUNDLE, "--spring.grpc.server.ssl.bundle=members")))
			.rootCause()
			.isInstanceOf(HedgeConfigurationException.class)
			.hasMessageContaining("set hedge.security.ssl-bundle");
		assertThatThrownBy(() -> this.apps.start(new Class<?>[] { App.class }, "--hedge.security.ssl-bundle=missing"))
			.rootCause()
			.isInstanceOf(HedgeConfigurationException.class)
			.hasMessageContaining("no SSL bundle named 'missing'");
		assertThatThrownBy(() -> this.apps.start(new Class<?>[] { App.class }, "--hedge.security.secret=short"))
			.rootCause()
			.isInstanceOf(HedgeConfigurationException.class)
			.hasMessageContaining("hedge.security.secret");
	}

}
