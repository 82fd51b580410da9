package dev.hedge.spring.autoconfigure.actuate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.hedge.HedgeNode;
import dev.hedge.spring.actuate.HedgeHealthIndicator;
import dev.hedge.spring.autoconfigure.HedgeAutoConfiguration;
import dev.hedge.testsupport.EmbeddedDatabaseExtension;
import dev.hedge.testsupport.EmbeddedTestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(EmbeddedDatabaseExtension.class)
class HedgeHealthContributorAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner;

	HedgeHealthContributorAutoConfigurationTests(EmbeddedTestDatabase database) {
		this.contextRunner = new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(HedgeAutoConfiguration.class, HedgeHealthContributorAutoConfiguration.class))
			.withPropertyValues("spring.application.name=orders",
					"hedge.embedded.path=" + database.directory().resolve("health"));
	}

	@Test
	void runShouldCreateIndicatorNamedHedge() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(HedgeHealthIndicator.class);
			assertThat(context).hasBean("hedgeHealthIndicator");
		});
	}

	@Test
	void runWhenDisabledShouldNotCreateIndicator() {
		this.contextRunner.withPropertyValues("management.health.hedge.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(HedgeHealthIndicator.class));
	}

	@Test
	void runWhenAllDefaultIndicatorsAreDisabledShouldNotCreateIndicator() {
		this.contextRunner.withPropertyValues("management.health.defaults.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(HedgeHealthIndicator.class));
	}

	@Test
	void runWhenActuatorIsMissingShouldNotCreateIndicator() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(HedgeNode.class);
				assertThat(context).doesNotHaveBean("hedgeHealthIndicator");
			});
	}

	@Test
	void runWhenHedgeIsDisabledShouldNotCreateIndicator() {
		this.contextRunner.withPropertyValues("hedge.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(HedgeHealthIndicator.class));
	}

	@Test
	void runWhenUserDefinesIndicatorShouldUseIt() {
		this.contextRunner.withUserConfiguration(OwnIndicator.class).run((context) -> {
			assertThat(context).doesNotHaveBean(HedgeHealthIndicator.class);
			assertThat(context).hasSingleBean(HealthIndicator.class);
			assertThat(context.getBean("hedgeHealthIndicator", HealthIndicator.class).health().getStatus())
				.isEqualTo(Status.OUT_OF_SERVICE);
		});
	}

	@Test
	void runBeforeTheNodeStartedShouldReportDown() {
		this.contextRunner.run((context) -> {
			Health health = context.getBean(HedgeHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails()).containsEntry("running", false).containsEntry("group", "orders");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnIndicator {

		@Bean
		HealthIndicator hedgeHealthIndicator() {
			return () -> Health.outOfService().build();
		}

	}

}
