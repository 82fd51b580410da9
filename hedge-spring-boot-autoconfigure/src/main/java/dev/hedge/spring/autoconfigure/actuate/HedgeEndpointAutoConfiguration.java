package dev.hedge.spring.autoconfigure.actuate;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import dev.hedge.HedgeNode;
import dev.hedge.spring.HedgeSemaphores;
import dev.hedge.spring.actuate.HedgeEndpoint;
import dev.hedge.spring.autoconfigure.HedgeAutoConfiguration;

/**
 * Auto-configuration of the {@link HedgeEndpoint} ({@code /actuator/hedge}): only with Spring Boot Actuator on the
 * classpath, a {@link HedgeNode}, and the endpoint available (access not {@code none}, and exposed, e.g.
 * {@code management.endpoints.web.exposure.include=health,hedge}).
 */
@AutoConfiguration(after = HedgeAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(HedgeNode.class)
public class HedgeEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint(HedgeEndpoint.class)
	public HedgeEndpoint hedgeEndpoint(HedgeNode node, ObjectProvider<HedgeSemaphores> semaphores) {
		return new HedgeEndpoint(node, semaphores.getIfAvailable());
	}

}
