package dev.hedge.spring.autoconfigure;

import io.grpc.BindableService;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

import dev.hedge.HedgeNode;
import dev.hedge.common.HedgeConfigurationException;
import dev.hedge.spring.HedgeApplicationEventBridge;
import dev.hedge.spring.HedgeKeyValueTemplate;
import dev.hedge.spring.HedgeLifecycle;
import dev.hedge.spring.HedgeReplicatedData;
import dev.hedge.spring.HedgeSemaphores;
import dev.hedge.spring.HedgeValueConverter;
import dev.hedge.spring.JacksonValueConverter;
import dev.hedge.store.HedgeStore;

/**
 * Auto-configuration of hedge: the store (Spanner when spring-cloud-gcp's Spanner is configured, else the application's
 * non-embedded DataSource, else embedded; see {@link HedgeStoreConfigurations}), the {@link HedgeNode}, its gRPC
 * services on the application's Spring gRPC server, the lifecycle (start once the gRPC server listens, hand over on
 * shutdown), Spring events, {@link HedgeKeyValueTemplate}, {@link HedgeReplicatedData} and semaphore beans. Runs
 * after spring-cloud-gcp's Spanner and Spring Boot's DataSource auto-configurations and before Spring gRPC's server
 * factory (which only starts a server when service beans exist). Every bean backs off to one the application defines;
 * {@code hedge.enabled=false} switches everything off.
 */
@AutoConfiguration(
		afterName = { "com.google.cloud.spring.autoconfigure.spanner.GcpSpannerAutoConfiguration",
				"com.google.cloud.spring.autoconfigure.spanner.GcpSpannerEmulatorAutoConfiguration",
				"org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
				"org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration" },
		beforeName = { "org.springframework.grpc.autoconfigure.server.GrpcServerFactoryAutoConfiguration",
				"org.springframework.grpc.autoconfigure.server.GrpcServerAutoConfiguration" })
@ConditionalOnProperty(prefix = "hedge", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(HedgeProperties.class)
@Import({ HedgeStoreConfigurations.SpannerStore.class, HedgeStoreConfigurations.JdbcStore.class,
		HedgeStoreConfigurations.EmbeddedStore.class, HedgeStoreConfigurations.SpannerMissing.class,
		HedgeStoreConfigurations.JdbcMissing.class, HedgeAutoConfiguration.SpringGrpcServer.class,
		HedgeAutoConfiguration.OwnServer.class, HedgeAutoConfiguration.SpillOver.class })
public class HedgeAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	public HedgeNode hedgeNode(HedgeProperties properties, HedgeStore store, Environment environment,
			ObjectProvider<HedgeNodeCustomizer> customizers, ApplicationEventPublisher publisher,
			ObjectProvider<SslBundles> sslBundles) {
		String group = (properties.getGroup() != null && !properties.getGroup().isBlank()) ? properties.getGroup()
				: environment.getProperty("spring.application.name");
		if (group == null || group.isBlank()) {
			throw new HedgeConfigurationException("hedge.group",
					"no group: set hedge.group or spring.application.name (every instance of the application must use"
							+ " the same one)");
		}
		HedgeNode.Builder builder = HedgeNode.builder(group)
			.store(store, false)
			.address(properties.getNode().getAddress())
			.listen("0.0.0.0", properties.getNode().getPort())
			.election(properties.electionOptions())
			.membership(properties.membershipOptions())
			.messaging(properties.messagingOptions())
			.limits(properties.grpcLimits())
			.security(properties.memberSecurity(sslBundles::getIfAvailable))
			.keyValue(properties.keyValueOptions())
			.replicatedData(properties.replicatorOptions())
			.spillOverPerPort(properties.spillOverOptions());
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		HedgeNode node = builder.build();
		HedgeApplicationEventBridge events = new HedgeApplicationEventBridge(node, publisher);
		node.beforeStart((config) -> config.addLeadershipListener(events)
			.addMembershipListener(events)
			.addReplicatedDataListener(events));
		return node;
	}

	@Bean
	@ConditionalOnMissingBean
	public HedgeSemaphores hedgeSemaphores(HedgeNode node) {
		return new HedgeSemaphores(node);
	}

	@Bean
	@ConditionalOnMissingBean
	public HedgeReplicatedData hedgeReplicatedData(HedgeNode node) {
		return new HedgeReplicatedData(node);
	}

	@Bean
	public static SemaphoreBeansRegistrar hedgeSemaphoreBeansRegistrar() {
		return new SemaphoreBeansRegistrar();
	}

	@Bean
	@ConditionalOnMissingBean
	public HedgeKeyValueTemplate hedgeKeyValueTemplate(HedgeNode node, ObjectProvider<HedgeValueConverter> converter) {
		return new HedgeKeyValueTemplate(node, converter.getIfAvailable(() -> new JacksonValueConverter(
				new com.fasterxml.jackson.databind.ObjectMapper().findAndRegisterModules())));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.apache.arrow.memory.RootAllocator")
	static class SpillOver {

		@Bean
		@ConditionalOnMissingBean
		dev.hedge.spring.HedgeSpillOverStore hedgeSpillOverStore(HedgeNode node) {
			return new dev.hedge.spring.HedgeSpillOverStore(node);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "com.fasterxml.jackson.databind.ObjectMapper")
	static class JacksonConverter {

		@Bean
		@ConditionalOnMissingBean
		HedgeValueConverter hedgeValueConverter(ObjectProvider<com.fasterxml.jackson.databind.ObjectMapper> mapper) {
			return new JacksonValueConverter(mapper.getIfAvailable(
					() -> new com.fasterxml.jackson.databind.ObjectMapper().findAndRegisterModules()));
		}

	}

	/** hedge's services on the application's Spring gRPC server; the node starts when that server listens. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent")
	@ConditionalOnProperty(name = "spring.grpc.server.enabled", matchIfMissing = true)
	static class SpringGrpcServer {

		@Bean
		BindableService hedgeMembershipService(HedgeNode node) {
			return node.service("hedge.v1.Membership");
		}

		@Bean
		BindableService hedgeMessagingService(HedgeNode node) {
			return node.service("hedge.v1.Messaging");
		}

		@Bean
		BindableService hedgeKeyValueService(HedgeNode node) {
			return node.service("hedge.v1.KeyValue");
		}

		@Bean
		BindableService hedgeSemaphoresService(HedgeNode node) {
			return node.service("hedge.v1.Semaphores");
		}

		@Bean
		BindableService hedgeSpillOverService(HedgeNode node) {
			return node.service("hedge.v1.SpillOver");
		}

		@Bean
		BindableService hedgeReplicatorService(HedgeNode node) {
			return node.service("hedge.v1.Replicator");
		}

		@Bean
		@ConditionalOnMissingBean
		HedgeLifecycle hedgeLifecycle(HedgeNode node, HedgeProperties properties, Environment environment) {
			GrpcServerTls.requireConsistent(properties.getSecurity().getSslBundle(), environment);
			return new HedgeLifecycle(node, false);
		}

		@Bean
		ApplicationListener<org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent> hedgeStartOnGrpcServer(
				HedgeLifecycle lifecycle) {
			return (event) -> lifecycle.serverStarted(event.getPort());
		}

		@Bean
		@SuppressWarnings({ "rawtypes", "unchecked" })
		org.springframework.grpc.server.ServerBuilderCustomizer hedgeGrpcLimits(HedgeProperties properties) {
			dev.hedge.transport.grpc.GrpcLimits limits = properties.grpcLimits();
			return new org.springframework.grpc.server.ServerBuilderCustomizer() {
				@Override
				public void customize(io.grpc.ServerBuilder builder) {
					builder.maxInboundMessageSize(limits.maxMessageBytes());
					builder.maxInboundMetadataSize(limits.maxMetadataBytes());
				}
			};
		}

	}

	/** Without a Spring gRPC server, the node runs its own on {@code hedge.node.port}. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass("org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent")
	static class OwnServer {

		@Bean
		@ConditionalOnMissingBean
		HedgeLifecycle hedgeLifecycle(HedgeNode node) {
			return new HedgeLifecycle(node, true);
		}

	}

}
