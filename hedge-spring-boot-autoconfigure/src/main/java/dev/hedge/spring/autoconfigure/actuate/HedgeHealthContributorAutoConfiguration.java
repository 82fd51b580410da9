package dev.hedge.spring.autoconfigure.actuate;

import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

import dev.hedge.HedgeNode;
import dev.hedge.spring.actuate.HedgeChainHealthIndicator;
import dev.hedge.spring.actuate.HedgeHealthIndicator;
import dev.hedge.spring.autoconfigure.HedgeAutoConfiguration;

/**
 * Auto-configuration of the {@code hedge} health contributor ({@link HedgeHealthIndicator}): only with Spring Boot
 * Actuator on the classpath and a {@link HedgeNode}; {@code management.health.hedge.enabled=false} switches it off.
 * It is in no health group by default: never add it to the liveness group, and add it to the readiness group only if
 * the application cannot serve without a leader (see {@link HedgeHealthIndicator} for its statuses). With
 * {@code hedge.chain.enabled=true} also the {@code hedgeChain} contributor ({@link HedgeChainHealthIndicator},
 * {@code management.health.hedgechain.enabled=false} switches it off), which belongs in the readiness group.
 */
@AutoConfiguration(after = HedgeAutoConfiguration.class)
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(HedgeNode.class)
public class HedgeHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnEnabledHealthIndicator("hedge")
	@ConditionalOnMissingBean(value = HedgeHealthIndicator.class, name = "hedgeHealthIndicator")
	public HedgeHealthIndicator hedgeHealthIndicator(HedgeNode node) {
		return new HedgeHealthIndicator(node);
	}

	@Bean
	@ConditionalOnEnabledHealthIndicator("hedgechain")
	@ConditionalOnProperty(prefix = "hedge.chain", name = "enabled", havingValue = "true")
	@ConditionalOnMissingBean(value = HedgeChainHealthIndicator.class, name = "hedgeChainHealthIndicator")
	public HedgeChainHealthIndicator hedgeChainHealthIndicator(HedgeNode node) {
		return new HedgeChainHealthIndicator(node);
	}

}
