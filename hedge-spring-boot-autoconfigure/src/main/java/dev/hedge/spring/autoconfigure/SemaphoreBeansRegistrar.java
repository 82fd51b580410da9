package dev.hedge.spring.autoconfigure;

import java.util.Map;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

import dev.hedge.semaphore.HedgeSemaphore;
import dev.hedge.spring.HedgeSemaphores;

/**
 * Registers a {@link HedgeSemaphore} bean named {@code <name>} for every {@code hedge.semaphores.<name>.limit}, so
 * {@code @Qualifier("<name>") HedgeSemaphore} injects it.
 */
class SemaphoreBeansRegistrar implements BeanDefinitionRegistryPostProcessor, EnvironmentAware {

	private Environment environment;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
		if (!this.environment.getProperty("hedge.enabled", Boolean.class, true)) {
			return;
		}
		Map<String, HedgeProperties.SemaphoreSpec> specs = Binder.get(this.environment)
			.bind("hedge.semaphores", Bindable.mapOf(String.class, HedgeProperties.SemaphoreSpec.class))
			.orElse(Map.of());
		for (Map.Entry<String, HedgeProperties.SemaphoreSpec> spec : specs.entrySet()) {
			String name = spec.getKey();
			int limit = spec.getValue().getLimit();
			if (limit < 1) {
				throw new dev.hedge.common.HedgeConfigurationException("hedge.semaphores." + name + ".limit",
						"must be at least 1 (was " + limit + ")");
			}
			if (registry.containsBeanDefinition(name)) {
				continue;
			}
			RootBeanDefinition definition = new RootBeanDefinition(HedgeSemaphore.class);
			definition.setInstanceSupplier(() -> ((ConfigurableListableBeanFactory) registry)
				.getBean(HedgeSemaphores.class)
				.get(name, limit));
			registry.registerBeanDefinition(name, definition);
		}
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
	}

}
