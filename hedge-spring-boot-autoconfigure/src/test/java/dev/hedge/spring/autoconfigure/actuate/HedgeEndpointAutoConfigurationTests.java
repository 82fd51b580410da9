package dev.hedge.spring.autoconfigure.actuate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.hedge.HedgeNode;
import dev.hedge.spring.actuate.HedgeEndpoint;
import dev.hedge.spring.autoconfigure.HedgeAutoConfiguration;
import dev.hedge.testsupport.EmbeddedDatabaseExtension;
import dev.hedge.testsupport.EmbeddedTestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(EmbeddedDatabaseExtension.class)
class HedgeEndpointAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner;

	HedgeEndpointAutoConfigurationTests(EmbeddedTestDatabase database) {
		this.contextRunner = new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(HedgeAutoConfiguration.class, HedgeEndpointAutoConfiguration.class))
			.withPropertyValues("spring.application.name=orders",
					"hedge.embedded.path=" + database.directory().resolve("endpoint"));
	}

	@Test
	void runWhenExposedShouldHaveEndpointBean() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=hedge")
			.run((context) -> assertThat(context).hasSingleBean(HedgeEndpoint.class));
	}

	@Test
	void runWhenNotExposedShouldNotHaveEndpointBean() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(HedgeEndpoint.class));
	}

	@Test
	void runWhenAccessIsNoneShouldNotHaveEndpointBean() {
		this.contextRunner
			.withInitializer((context) -> context.getEnvironment().setConversionService(new ApplicationConversionService()))
			.withPropertyValues("management.endpoints.web.exposure.include=hedge", "management.endpoint.hedge.access=none")
			.run((context) -> assertThat(context).doesNotHaveBean(HedgeEndpoint.class));
	}

	@Test
	void runWhenActuatorIsMissingShouldNotHaveEndpointBean() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=hedge")
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(HedgeNode.class);
				assertThat(context).doesNotHaveBean("hedgeEndpoint");
			});
	}

	@Test
	void runWhenHedgeIsDisabledShouldNotHaveEndpointBean() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=hedge", "hedge.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(HedgeEndpoint.class));
	}

	@Test
	void runWhenUserDefinesEndpointShouldUseIt() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=hedge")
			.withUserConfiguration(OwnEndpoint.class)
			.run((context) -> assertThat(context).getBean(HedgeEndpoint.class)
				.isSameAs(context.getBean("myHedgeEndpoint")));
	}

	@Test
	void runBeforeTheNodeStartedShouldDescribeItAsNotRunning() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=hedge", "hedge.semaphores.jobs.limit=2")
			.run((context) -> {
				HedgeEndpoint.HedgeDescriptor descriptor = context.getBean(HedgeEndpoint.class).hedge();
				assertThat(descriptor.isRunning()).isFalse();
				assertThat(descriptor.getId()).isNull();
				assertThat(descriptor.getGroup()).isEqualTo("orders");
				assertThat(descriptor.getLeader()).isNull();
				assertThat(descriptor.getIsLeader()).isFalse();
				assertThat(descriptor.getEpoch()).isNull();
				assertThat(descriptor.getStore()).isEqualTo("embedded");
				assertThat(descriptor.getMembers()).isEmpty();
				assertThat(descriptor.getSemaphores()).singleElement().satisfies((semaphore) -> {
					assertThat(semaphore.getName()).isEqualTo("jobs");
					assertThat(semaphore.getLimit()).isEqualTo(2);
					assertThat(semaphore.getHolders()).isNull();
				});
				HedgeEndpoint.YieldDescriptor yielded = context.getBean(HedgeEndpoint.class).yieldLeadership();
				assertThat(yielded.isYielded()).isFalse();
				assertThat(yielded.getMessage()).isEqualTo("not running");
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnEndpoint {

		@Bean
		HedgeEndpoint myHedgeEndpoint(HedgeNode node) {
			return new HedgeEndpoint(node, null);
		}

	}

}
