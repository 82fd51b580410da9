package dev.hedge.spring;

import java.util.List;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import dev.hedge.chain.ChainCompareFailedException;
import dev.hedge.chain.ReadMode;
import dev.hedge.spring.actuate.ChainDescriptor;
import dev.hedge.spring.actuate.HedgeChainHealthIndicator;
import dev.hedge.spring.actuate.HedgeEndpoint;
import dev.hedge.testsupport.EmbeddedDatabaseExtension;
import dev.hedge.testsupport.EmbeddedTestDatabase;
import dev.hedge.testsupport.Timing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Two Spring applications with {@code hedge.chain.enabled=true} in one JVM: typed values through
 * {@link HedgeChainTemplate} (JSON by the application's converter), compare-and-set, the chain in
 * {@code /actuator/hedge}, its meters and its health contributor.
 */
@ExtendWith(EmbeddedDatabaseExtension.class)
class HedgeChainApplicationTests {

	private final TestApplications apps;

	HedgeChainApplicationTests(EmbeddedTestDatabase database) {
		this.apps = new TestApplications(database.directory().resolve("store"), "chain-apps-" + UUID.randomUUID());
	}

	@AfterEach
	void stop() {
		this.apps.close();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

	}

	record Order(String item, int quantity) {
	}

	@Test
	void twoApplicationsShareTypedValuesThroughTheChainAndShowItInTheEndpoint() {
		List<ConfigurableApplicationContext> contexts = List.of(start(), start());
		await().atMost(Timing.seconds(20)).until(() -> contexts.stream()
			.allMatch((c) -> TestApplications.node(c).chain().state().serving()
					&& TestApplications.node(c).chain().state().config().members().size() == 2));
		HedgeChainTemplate first = contexts.get(0).getBean(HedgeChainTemplate.class);
		HedgeChainTemplate second = contexts.get(1).getBean(HedgeChainTemplate.class);
		assertThat(first.put("order/42", new Order("tea", 3))).isEqualTo(1);
		assertThat(second.get("order/42", Order.class)).contains(new Order("tea", 3));
		assertThat(second.get("order/42", String.class)).hasValueSatisfying((json) -> assertThat(json).contains("tea"));
		HedgeChainTemplate.Entry<Order> entry = second.getEntry("order/42", Order.class, ReadMode.LOCAL).orElseThrow();
		assertThat(second.compareAndSet("order/42", entry.version(), new Order("tea", 4))).isEqualTo(2);
		assertThatExceptionOfType(ChainCompareFailedException.class)
			.isThrownBy(() -> first.compareAndSet("order/42", entry.version(), new Order("coffee", 1)));
		assertThat(first.get("order/42", Order.class)).contains(new Order("tea", 4));
		assertThat(first.put("raw", new byte[] { 1, 2, 3 })).isEqualTo(1);
		assertThat(second.get("raw", byte[].class)).hasValueSatisfying((bytes) -> assertThat(bytes).containsExactly(1, 2, 3));

		ChainDescriptor chain = new HedgeEndpoint(TestApplications.node(contexts.get(1)), null).hedge().getChain();
		assertThat(chain.enabled()).isTrue();
		assertThat(chain.serving()).isTrue();
		assertThat(chain.members()).hasSize(2).extracting(ChainDescriptor.Member::role).containsExactly("head", "tail");
		assertThat(chain.members()).filteredOn(ChainDescriptor.Member::self).hasSize(1);
		assertThat(chain.keys()).isEqualTo(2);
		MeterRegistry registry = contexts.get(0).getBean(MeterRegistry.class);
		assertThat(registry.get("hedge.chain.write").tag("outcome", "ok").timer().count()).isEqualTo(2);
		assertThat(registry.get("hedge.chain.write").tag("outcome", "compare_failed").timer().count()).isEqualTo(1);
		assertThat(registry.get("hedge.chain.members").gauge().value()).isEqualTo(2);

		HedgeChainHealthIndicator health = contexts.get(1).getBean(HedgeChainHealthIndicator.class);
		assertThat(health.health().getStatus()).isEqualTo(Status.UP);
		// the chain's order is the order the coordinator added the members in, which need not be their start order
		String role = chain.members().stream().filter(ChainDescriptor.Member::self).findFirst().orElseThrow().role();
		assertThat(health.health().getDetails()).containsEntry("role", role).containsEntry("keys", 2L);
		contexts.get(1).close();
		assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
	}

	private ConfigurableApplicationContext start() {
		return this.apps.start(new Class<?>[] { App.class }, "--hedge.chain.enabled=true");
	}

}
