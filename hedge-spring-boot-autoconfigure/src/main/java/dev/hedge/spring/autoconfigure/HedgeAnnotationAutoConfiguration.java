package dev.hedge.spring.autoconfigure;

import java.time.Duration;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;

import dev.hedge.HedgeNode;
import dev.hedge.common.HedgeConfigurationException;
import dev.hedge.spring.HedgeValueConverter;
import dev.hedge.spring.annotation.HedgeAnnotationBeanPostProcessor;
import dev.hedge.spring.annotation.OnLeaderGuardPostProcessor;
import dev.hedge.spring.annotation.OnLeaderTaskRegistry;

/**
 * Auto-configuration of hedge's annotations: {@link dev.hedge.spring.annotation.LeaderHandler @LeaderHandler} and
 * {@link dev.hedge.spring.annotation.BroadcastHandler @BroadcastHandler} methods become the node's handlers,
 * scheduled {@link dev.hedge.spring.annotation.OnLeader @OnLeader} methods run on the {@link OnLeaderTaskRegistry}
 * while this member leads, and guard {@code @OnLeader} methods are proxied so they run only on the leader. Active
 * whenever there is a {@link HedgeNode}; the post-processors are registered from static methods with lazy
 * dependencies, so registering them creates neither the node nor the store early.
 */
@AutoConfiguration(after = HedgeAutoConfiguration.class)
@ConditionalOnBean(HedgeNode.class)
public class HedgeAnnotationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	public static HedgeAnnotationBeanPostProcessor hedgeAnnotationBeanPostProcessor(ObjectProvider<HedgeNode> node,
			ObjectProvider<HedgeValueConverter> converter, ObjectProvider<OnLeaderTaskRegistry> registry) {
		return new HedgeAnnotationBeanPostProcessor(node, converter, registry);
	}

	@Bean
	@ConditionalOnMissingBean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	public static OnLeaderGuardPostProcessor hedgeOnLeaderGuardPostProcessor(Environment environment,
			ObjectProvider<HedgeNode> node) {
		OnLeaderGuardPostProcessor processor = new OnLeaderGuardPostProcessor(node);
		processor.setProxyTargetClass(environment.getProperty("spring.aop.proxy-target-class", Boolean.class, true));
		return processor;
	}

	@Bean
	@ConditionalOnMissingBean
	public OnLeaderTaskRegistry hedgeOnLeaderTaskRegistry(HedgeNode node, ObjectProvider<HedgeProperties> properties) {
		HedgeProperties hedge = properties.getIfAvailable(HedgeProperties::new);
		int poolSize = hedge.getOnLeader().getPoolSize();
		if (poolSize < 1) {
			throw new HedgeConfigurationException("hedge.on-leader.pool-size",
					"must be at least 1 (was " + poolSize + ")");
		}
		Duration stopTimeout = hedge.electionOptions().storeTimeout();
		return new OnLeaderTaskRegistry(node, poolSize, stopTimeout);
	}

}
