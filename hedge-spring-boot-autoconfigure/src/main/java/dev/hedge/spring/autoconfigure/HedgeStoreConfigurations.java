package dev.hedge.spring.autoconfigure;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

import com.google.cloud.spanner.DatabaseId;
import com.google.cloud.spanner.ErrorCode;
import com.google.cloud.spanner.InstanceConfigId;
import com.google.cloud.spanner.InstanceInfo;
import com.google.cloud.spanner.Spanner;
import com.google.cloud.spanner.SpannerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import dev.hedge.common.HedgeConfigurationException;
import dev.hedge.store.HedgeStore;
import dev.hedge.store.TableNames;
import dev.hedge.store.jdbc.JdbcHedgeStore;
import dev.hedge.store.spanner.SpannerHedgeStore;

/**
 * The store beans: Spanner through spring-cloud-gcp when selected (see {@link StoreSelection}), the embedded
 * database otherwise, and a clear failure when {@code hedge.store=spanner} but Spanner is not configured. A user's own
 * {@link HedgeStore} bean wins over all of them.
 */
final class HedgeStoreConfigurations {

	private static final Logger logger = LoggerFactory.getLogger(HedgeStoreConfigurations.class);

	private HedgeStoreConfigurations() {
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "com.google.cloud.spring.autoconfigure.spanner.GcpSpannerAutoConfiguration",
			"com.google.cloud.spanner.Spanner" })
	@ConditionalOnBean(type = "com.google.cloud.spanner.Spanner")
	@Conditional(StoreSelection.OnSpanner.class)
	static class SpannerStore {

		@Bean(destroyMethod = "close")
		@ConditionalOnMissingBean(HedgeStore.class)
		HedgeStore hedgeStore(Spanner spanner, @Qualifier("databaseId") Supplier<DatabaseId> databaseId,
				HedgeProperties properties, Environment environment) {
			DatabaseId id = databaseId.get();
			boolean emulator = environment.getProperty("spring.cloud.gcp.spanner.emulator.enabled", Boolean.class,
					false);
			boolean initialize = (properties.getSpanner().getInitializeSchema() != null)
					? properties.getSpanner().getInitializeSchema() : emulator;
			if (emulator) {
				createOnEmulator(spanner, id);
			}
			TableNames tables = properties.spannerTables();
			return SpannerHedgeStore.open(spanner.getDatabaseClient(id), spanner.getDatabaseAdminClient(), id, tables,
					initialize);
		}

		/** With the emulator, create the instance and the database when missing (the emulator starts empty). */
		private static void createOnEmulator(Spanner spanner, DatabaseId id) {
			String project = id.getInstanceId().getProject();
			String instance = id.getInstanceId().getInstance();
			try {
				spanner.getInstanceAdminClient()
					.createInstance(InstanceInfo.newBuilder(id.getInstanceId())
						.setInstanceConfigId(InstanceConfigId.of(project, "emulator-config"))
						.setDisplayName(instance)
						.setNodeCount(1)
						.build())
					.get();
				logger.info("Created Spanner emulator instance {}", id.getInstanceId());
			}
			catch (ExecutionException | SpannerException ex) {
				ignoreAlreadyExists(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			try {
				spanner.getDatabaseAdminClient().createDatabase(instance, id.getDatabase(), List.of()).get();
				logger.info("Created Spanner emulator database {}", id);
			}
			catch (ExecutionException | SpannerException ex) {
				ignoreAlreadyExists(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		private static void ignoreAlreadyExists(Exception ex) {
			Throwable cause = (ex instanceof ExecutionException) ? ex.getCause() : ex;
			if (!(cause instanceof SpannerException spanner && spanner.getErrorCode() == ErrorCode.ALREADY_EXISTS)) {
				throw new IllegalStateException("could not prepare the Spanner emulator: " + cause, cause);
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Conditional(StoreSelection.OnEmbedded.class)
	static class EmbeddedStore {

		@Bean(destroyMethod = "close")
		@ConditionalOnMissingBean(HedgeStore.class)
		HedgeStore hedgeStore(HedgeProperties properties) {
			logger.info("hedge uses the embedded store in {}", properties.getEmbedded().getPath().toAbsolutePath());
			return JdbcHedgeStore.embedded(properties.getEmbedded().getPath(),
					properties.getEmbedded().isInitializeSchema());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Conditional(StoreSelection.OnSpannerRequired.class)
	static class SpannerMissing {

		@Bean
		@ConditionalOnMissingBean(HedgeStore.class)
		HedgeStore hedgeStore() {
			throw new HedgeConfigurationException("hedge.store",
					"spanner is selected but spring-cloud-gcp's Spanner is not available: add spring-cloud-gcp-starter"
							+ " and spring-cloud-gcp-data-spanner, and set spring.cloud.gcp.spanner.instance-id and"
							+ " spring.cloud.gcp.spanner.database (or spring.cloud.gcp.spanner.emulator.enabled=true)");
		}

	}

}
