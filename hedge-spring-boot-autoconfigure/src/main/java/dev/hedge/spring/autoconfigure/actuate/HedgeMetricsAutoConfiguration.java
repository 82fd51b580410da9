package dev.hedge.spring.autoconfigure.actuate;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import dev.hedge.HedgeNode;
import dev.hedge.spring.HedgeSemaphores;
import dev.hedge.spring.actuate.HedgeMetrics;
import dev.hedge.spring.autoconfigure.HedgeAutoConfiguration;

/**
 * Auto-configuration of hedge's Micrometer meters ({@link HedgeMetrics}): only with Micrometer on the classpath, a
 * {@link MeterRegistry} bean (Spring Boot Actuator's, or the application's) and a {@link HedgeNode}. The meters'
 * observers are registered on the node before it starts; an election observer the application set is chained, not
 * replaced.
 */
@AutoConfiguration(after = HedgeAutoConfiguration.class,
		afterName = { "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
				"org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ HedgeNode.class, MeterRegistry.class })
public class HedgeMetricsAutoConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(HedgeMetricsAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	public HedgeMetrics hedgeMetrics(HedgeNode node, ObjectProvider<HedgeSemaphores> semaphores,
			MeterRegistry registry) {
		HedgeMetrics metrics = new HedgeMetrics(node, semaphores.getIfAvailable(), registry);
		try {
			node.beforeStart(metrics::registerWith);
		}
		catch (IllegalStateException ex) {
			logger.warn("The hedge node started before its meters were created; only the gauges are recorded: {}",
					ex.getMessage());
		}
		return metrics;
	}

}
