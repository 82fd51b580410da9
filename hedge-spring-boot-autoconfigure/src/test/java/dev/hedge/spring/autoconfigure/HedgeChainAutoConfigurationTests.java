package dev.hedge.spring.autoconfigure;

import io.grpc.BindableService;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.hedge.HedgeNode;
import dev.hedge.chain.ChainOptions;
import dev.hedge.common.HedgeConfigurationException;
import dev.hedge.spring.HedgeChainTemplate;
import dev.hedge.spring.actuate.HedgeChainHealthIndicator;
import dev.hedge.spring.actuate.HedgeChainMetrics;
import dev.hedge.spring.actuate.HedgeHealthIndicator;
import dev.hedge.spring.autoconfigure.actuate.HedgeChainMetricsAutoConfiguration;
import dev.hedge.spring.autoconfigure.actuate.HedgeHealthContributorAutoConfiguration;
import dev.hedge.testsupport.EmbeddedDatabaseExtension;
import dev.hedge.testsupport.EmbeddedTestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(EmbeddedDatabaseExtension.class)
class HedgeChainAutoConfigurationTests {

	private final ApplicationContextRunner runner;

	private final EmbeddedTestDatabase database;

	HedgeChainAutoConfigurationTests(EmbeddedTestDatabase database) {
		this.database = database;
		this.runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(HedgeAutoConfiguration.class, HedgeChainAutoConfiguration.class))
			.withPropertyValues("spring.application.name=orders",
					"hedge.embedded.path=" + database.directory().resolve("chain-autoconfig"));
	}

	private static ChainOptions chainOf(HedgeNodeCustomizer customizer) {
		HedgeNode.Builder builder = HedgeNode.builder("probe");
		customizer.customize(builder);
		return builder.chain();
	}

	@Test
	void theChainIsOffByDefaultButItsServiceIsServed() {
		this.runner.run((context) -> {
			assertThat(context).doesNotHaveBean(HedgeChainTemplate.class);
			assertThat(context).doesNotHaveBean("hedgeChainCustomizer");
			assertThat(context.getBeansOfType(BindableService.class)).hasSize(7).containsKey("hedgeChainService");
		});
	}

	@Test
	void enabledTheNodeGetsAnInMemoryChainWithTheConfiguredTimingsAndATemplate() {
		this.runner.withPropertyValues("hedge.chain.enabled=true", "hedge.chain.write-timeout=7s",
				"hedge.chain.read-timeout=3s", "hedge.chain.hop-timeout=500ms", "hedge.chain.max-writes-in-flight=50",
				"hedge.chain.catch-up-page-keys=200")
			.run((context) -> {
				assertThat(context).hasSingleBean(HedgeChainTemplate.class);
				ChainOptions chain = chainOf(context.getBean("hedgeChainCustomizer", HedgeNodeCustomizer.class));
				assertThat(chain.enabled()).isTrue();
				assertThat(chain.storage().describe()).isEqualTo("memory");
				assertThat(chain.writeTimeout()).hasSeconds(7);
				assertThat(chain.readTimeout()).hasSeconds(3);
				assertThat(chain.hopTimeout()).hasMillis(500);
				assertThat(chain.maxWritesInFlight()).isEqualTo(50);
				assertThat(chain.catchUpPageKeys()).isEqualTo(200);
			});
	}

	@Test
	void aDirectoryKeepsTheChainInAFile() {
		this.runner
			.withPropertyValues("hedge.chain.enabled=true",
					"hedge.chain.directory=" + this.database.directory().resolve("member-1"))
			.run((context) -> assertThat(
					chainOf(context.getBean("hedgeChainCustomizer", HedgeNodeCustomizer.class)).storage().describe())
				.isEqualTo("file " + this.database.directory().resolve("member-1").resolve("chain.mv.db")));
	}

	@Test
	void anInvalidLimitFailsTheStartNamingTheProperty() {
		this.runner.withPropertyValues("hedge.chain.enabled=true", "hedge.chain.max-key-size=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(HedgeConfigurationException.class)
				.hasMessageContaining("hedge.chain.max-key-size"));
	}

	@Test
	void metersAreRegisteredWhenTheChainIsEnabledAndARegistryExists() {
		this.runner
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
					HedgeChainMetricsAutoConfiguration.class))
			.withPropertyValues("hedge.chain.enabled=true")
			.run((context) -> {
				assertThat(context).hasSingleBean(HedgeChainMetrics.class);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("hedge.chain.config").tag("group", "orders").gauge().value()).isNaN();
				assertThat(registry.get("hedge.chain.refusals").tag("group", "orders").functionCounter().count())
					.isZero();
			});
		this.runner
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
					HedgeChainMetricsAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(HedgeChainMetrics.class));
	}

	@Test
	void theChainHealthContributorComesWithTheChainAndCanBeSwitchedOff() {
		ApplicationContextRunner health = this.runner
			.withConfiguration(AutoConfigurations.of(HedgeHealthContributorAutoConfiguration.class));
		health.withPropertyValues("hedge.chain.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(HedgeChainHealthIndicator.class)
				.hasBean("hedgeChainHealthIndicator"));
		health.run((context) -> assertThat(context).doesNotHaveBean(HedgeChainHealthIndicator.class)
			.hasSingleBean(HedgeHealthIndicator.class));
		health.withPropertyValues("hedge.chain.enabled=true", "management.health.hedgechain.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(HedgeChainHealthIndicator.class));
	}

}
