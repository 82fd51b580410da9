package dev.hedge.spring.autoconfigure;

import io.grpc.BindableService;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.hedge.HedgeNode;
import dev.hedge.chain.ChainOptions;
import dev.hedge.chain.ChainStorage;
import dev.hedge.chain.ChainStoreOptions;
import dev.hedge.spring.HedgeChainTemplate;
import dev.hedge.spring.HedgeValueConverter;
import dev.hedge.store.mvstore.MvStoreChainStore;

/**
 * Auto-configuration of hedge's replicated chain (CRAQ, {@code hedge.chain.*}): the node's chain settings (through a
 * {@link HedgeNodeCustomizer}), its {@code hedge.v1.Chain} service on the application's Spring gRPC server, and the
 * {@link HedgeChainTemplate}. The service is registered whether or not the chain is enabled (a disabled member answers
 * UNIMPLEMENTED); the settings and the template only with {@code hedge.chain.enabled=true}. Runs after
 * {@link HedgeAutoConfiguration} and before Spring gRPC's server factory, which starts a server only for the service
 * beans that exist by then.
 */
@AutoConfiguration(after = HedgeAutoConfiguration.class,
		beforeName = { "org.springframework.grpc.autoconfigure.server.GrpcServerFactoryAutoConfiguration",
				"org.springframework.grpc.autoconfigure.server.GrpcServerAutoConfiguration" })
@ConditionalOnBean(HedgeNode.class)
public class HedgeChainAutoConfiguration {

	/**
	 * The chain settings of {@code hedge.chain.*} on the node, when the chain is enabled.
	 * @param properties hedge's properties
	 * @return the customizer
	 */
	@Bean
	@ConditionalOnProperty(prefix = "hedge.chain", name = "enabled", havingValue = "true")
	public HedgeNodeCustomizer hedgeChainCustomizer(HedgeProperties properties) {
		ChainOptions options = chainOptions(properties.getChain());
		return (builder) -> builder.chain(options.withObserver(builder.chain().observer()));
	}

	static ChainOptions chainOptions(HedgeProperties.Chain chain) {
		ChainStoreOptions limits = chain.storeOptions();
		ChainStorage storage = (chain.getDirectory() != null)
				? MvStoreChainStore.storage(chain.getDirectory(), limits) : ChainStorage.inMemory(limits);
		return ChainOptions.enabled(storage)
			.withTimeouts(chain.getWriteTimeout(), chain.getReadTimeout(), chain.getHopTimeout())
			.withLimits(chain.getMaxWritesInFlight(), chain.getCatchUpPageKeys());
	}

	/**
	 * The template, when the chain is enabled.
	 * @param node the node
	 * @param converter the application's converter (JSON through Jackson by default; without one, strings and bytes
	 * only)
	 * @return the template
	 */
	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnProperty(prefix = "hedge.chain", name = "enabled", havingValue = "true")
	public HedgeChainTemplate hedgeChainTemplate(HedgeNode node, ObjectProvider<HedgeValueConverter> converter) {
		return new HedgeChainTemplate(node, converter.getIfAvailable(HedgeChainAutoConfiguration::textOnly));
	}

	/** Without a converter (no Jackson): strings and bytes only. */
	private static HedgeValueConverter textOnly() {
		return new HedgeValueConverter() {
			@Override
			public String write(Object value) {
				throw new IllegalArgumentException("no HedgeValueConverter to write a " + value.getClass().getName()
						+ ": use a String or byte[], add Jackson, or define a HedgeValueConverter bean");
			}

			@Override
			public <T> T read(String text, Class<T> type) {
				throw new IllegalArgumentException("no HedgeValueConverter to read a " + type.getName()
						+ ": use String or byte[], add Jackson, or define a HedgeValueConverter bean");
			}
		};
	}

	/** The chain's service on the application's Spring gRPC server. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent")
	@ConditionalOnProperty(name = "spring.grpc.server.enabled", matchIfMissing = true)
	static class SpringGrpcServer {

		@Bean
		BindableService hedgeChainService(HedgeNode node) {
			return node.service("hedge.v1.Chain");
		}

	}

}
