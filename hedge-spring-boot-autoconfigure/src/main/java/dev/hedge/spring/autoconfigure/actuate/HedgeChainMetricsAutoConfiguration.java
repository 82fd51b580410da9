package dev.hedge.spring.autoconfigure.actuate;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

import dev.hedge.HedgeNode;
import dev.hedge.spring.actuate.HedgeChainMetrics;
import dev.hedge.spring.autoconfigure.HedgeChainAutoConfiguration;

/**
 * Auto-configuration of the chain's Micrometer meters ({@link HedgeChainMetrics}) when the chain is enabled and a
 * {@link MeterRegistry} exists.
 */
@AutoConfiguration(after = HedgeChainAutoConfiguration.class,
		afterName = { "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
				"org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ HedgeNode.class, MeterRegistry.class })
@ConditionalOnProperty(prefix = "hedge.chain", name = "enabled", havingValue = "true")
public class HedgeChainMetricsAutoConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(HedgeChainMetricsAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	public HedgeChainMetrics hedgeChainMetrics(HedgeNode node, MeterRegistry registry) {
		HedgeChainMetrics metrics = new HedgeChainMetrics(node, registry);
		try {
			node.beforeStart(metrics::registerWith);
		}
		catch (IllegalStateException ex) {
			logger.warn("The hedge node started before its chain meters were created; only the gauges are recorded:"
					+ " {}", ex.getMessage());
		}
		return metrics;
	}

}
