package dev.hedge.spring.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.hedge.HedgeNode;
import dev.hedge.common.HedgeConfigurationException;
import dev.hedge.spring.annotation.HedgeAnnotationBeanPostProcessor;
import dev.hedge.spring.annotation.OnLeaderGuardPostProcessor;
import dev.hedge.spring.annotation.OnLeaderTaskRegistry;
import dev.hedge.testsupport.EmbeddedDatabaseExtension;
import dev.hedge.testsupport.EmbeddedTestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(EmbeddedDatabaseExtension.class)
class HedgeAnnotationAutoConfigurationTests {

	private final ApplicationContextRunner runner;

	HedgeAnnotationAutoConfigurationTests(EmbeddedTestDatabase database) {
		this.runner = new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(HedgeAutoConfiguration.class, HedgeAnnotationAutoConfiguration.class))
			.withPropertyValues("spring.application.name=annotations",
					"hedge.embedded.path=" + database.directory().resolve("annotations"));
	}

	@Test
	void runWithAHedgeNodeShouldHaveTheAnnotationInfrastructure() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(HedgeAnnotationBeanPostProcessor.class);
			assertThat(context).hasSingleBean(OnLeaderGuardPostProcessor.class);
			assertThat(context).hasSingleBean(OnLeaderTaskRegistry.class);
			assertThat(context.getBean(OnLeaderTaskRegistry.class).getTasks()).isEmpty();
			assertThat(context.getBean(OnLeaderGuardPostProcessor.class).isProxyTargetClass()).isTrue();
		});
	}

	@Test
	void runWhenHedgeIsDisabledShouldBackOff() {
		this.runner.withPropertyValues("hedge.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(HedgeNode.class);
			assertThat(context).doesNotHaveBean(HedgeAnnotationBeanPostProcessor.class);
			assertThat(context).doesNotHaveBean(OnLeaderGuardPostProcessor.class);
			assertThat(context).doesNotHaveBean(OnLeaderTaskRegistry.class);
		});
	}

	@Test
	void whenSpringAopProxyTargetClassIsFalseThenTheGuardPrefersJdkProxies() {
		this.runner.withPropertyValues("spring.aop.proxy-target-class=false")
			.run((context) -> assertThat(context.getBean(OnLeaderGuardPostProcessor.class).isProxyTargetClass())
				.isFalse());
	}

	@Test
	void whenThePoolSizeIsNotPositiveThenStartupFailsNamingTheProperty() {
		this.runner.withPropertyValues("hedge.on-leader.pool-size=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(HedgeConfigurationException.class)
				.hasMessage("hedge.on-leader.pool-size: must be at least 1 (was 0)"));
	}

	@Test
	void runWithAnOwnRegistryShouldUseIt() {
		this.runner.withUserConfiguration(OwnRegistry.class)
			.run((context) -> assertThat(context).getBean(OnLeaderTaskRegistry.class)
				.isSameAs(context.getBean("myRegistry")));
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnRegistry {

		@Bean
		OnLeaderTaskRegistry myRegistry(HedgeNode node) {
			return new OnLeaderTaskRegistry(node, 4, java.time.Duration.ofSeconds(1));
		}

	}

}
