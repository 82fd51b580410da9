package dev.hedge.spring.autoconfigure.actuate;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.hedge.HedgeNode;
import dev.hedge.election.ElectionObserver;
import dev.hedge.spring.actuate.HedgeMetrics;
import dev.hedge.spring.autoconfigure.HedgeAutoConfiguration;
import dev.hedge.spring.autoconfigure.HedgeNodeCustomizer;
import dev.hedge.testsupport.EmbeddedDatabaseExtension;
import dev.hedge.testsupport.EmbeddedTestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(EmbeddedDatabaseExtension.class)
class HedgeMetricsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner;

	HedgeMetricsAutoConfigurationTests(EmbeddedTestDatabase database) {
		this.contextRunner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(HedgeAutoConfiguration.class, HedgeMetricsAutoConfiguration.class))
			.withPropertyValues("spring.application.name=orders",
					"hedge.embedded.path=" + database.directory().resolve("metrics"));
	}

	@Test
	void runWithAMeterRegistryShouldRegisterTheGaugesTaggedWithTheGroup() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
			.withPropertyValues("hedge.semaphores.jobs.limit=3")
			.run((context) -> {
				assertThat(context).hasSingleBean(HedgeMetrics.class);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("hedge.leader").tag("group", "orders").gauge().value()).isZero();
				assertThat(registry.get("hedge.epoch").tag("group", "orders").gauge().value()).isNaN();
				assertThat(registry.get("hedge.members").tag("group", "orders").gauge().value()).isNaN();
				assertThat(registry.get("hedge.semaphore.limit").tags("group", "orders", "semaphore", "jobs").gauge().value())
					.isEqualTo(3);
				assertThat(registry.get("hedge.semaphore.permits.held")
					.tags("group", "orders", "semaphore", "jobs")
					.gauge()
					.value()).isZero();
			});
	}

	@Test
	void runWithoutAMeterRegistryShouldNotCreateMetrics() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(HedgeMetrics.class);
		});
	}

	@Test
	void runWithoutMicrometerShouldNotCreateMetrics() {
		this.contextRunner.withUserConfiguration(Registry.class)
			.withClassLoader(new FilteredClassLoader("io.micrometer.core"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean("hedgeMetrics");
			});
	}

	@Test
	void runWhenHedgeIsDisabledShouldNotCreateMetrics() {
		this.contextRunner.withUserConfiguration(Registry.class)
			.withPropertyValues("hedge.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(HedgeMetrics.class));
	}

	@Test
	void runWhenUserDefinesMetricsShouldUseThem() {
		this.contextRunner.withUserConfiguration(Registry.class, OwnMetrics.class)
			.run((context) -> assertThat(context).getBean(HedgeMetrics.class).isSameAs(context.getBean("myMetrics")));
	}

	@Test
	void runWhenTheApplicationSetsAnElectionObserverShouldChainIt() {
		this.contextRunner.withUserConfiguration(Registry.class, OwnElectionObserver.class).run((context) -> {
			AtomicReference<ElectionObserver> installed = new AtomicReference<>();
			context.getBean(HedgeNode.class).beforeStart((builder) -> installed.set(builder.electionObserver()));
			installed.get().renewal(1, ElectionObserver.RenewalOutcome.RENEWED, 1_000_000, false);
			assertThat(context.getBean(OwnElectionObserver.class).renewals).hasSize(1);
			assertThat(context.getBean(MeterRegistry.class)
				.get("hedge.election.renewals")
				.tags("group", "orders", "outcome", "renewed")
				.timer()
				.count()).isEqualTo(1);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class Registry {

		@Bean
		SimpleMeterRegistry registry() {
			return new SimpleMeterRegistry();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnMetrics {

		@Bean
		HedgeMetrics myMetrics(HedgeNode node, MeterRegistry registry) {
			return new HedgeMetrics(node, null, registry);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnElectionObserver {

		final List<Long> renewals = new CopyOnWriteArrayList<>();

		@Bean
		HedgeNodeCustomizer observeElections() {
			return (builder) -> builder.electionObserver(new ElectionObserver() {
				@Override
				public void renewal(long epoch, RenewalOutcome outcome, long latencyNanos, boolean late) {
					OwnElectionObserver.this.renewals.add(epoch);
				}
			});
		}

	}

}
