package dev.hedge.spring.autoconfigure;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

import javax.sql.DataSource;

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
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.jdbc.EmbeddedDatabaseConnection;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import dev.hedge.common.HedgeConfigurationException;
import dev.hedge.store.HedgeStore;
import dev.hedge.store.StoreKind;
import dev.hedge.store.TableNames;
import dev.hedge.store.jdbc.JdbcHedgeStore;
import dev.hedge.store.spanner.SpannerHedgeStore;

/**
 * The store beans, tried in this order: Spanner through spring-cloud-gcp when selected (see {@link StoreSelection});
 * the application's {@link DataSource} for {@code hedge.store=jdbc}, or for {@code auto} when it is not an embedded
 * database (an in-memory database cannot be shared by the instances; {@code auto} then uses the embedded store); the
 * embedded database; and a clear failure when {@code spanner} or {@code jdbc} is asked for but not configured. A
 * user's own {@link HedgeStore} bean wins over all of them.
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
	@ConditionalOnClass(name = "org.springframework.jdbc.core.JdbcTemplate")
	@ConditionalOnSingleCandidate(DataSource.class)
	@Conditional(StoreSelection.OnJdbc.class)
	static class JdbcStore {

		@Bean(destroyMethod = "close")
		@ConditionalOnMissingBean(HedgeStore.class)
		HedgeStore hedgeStore(DataSource dataSource, HedgeProperties properties) {
			boolean embedded = EmbeddedDatabaseConnection.isEmbedded(dataSource);
			if (embedded && properties.getStore() == StoreKind.AUTO) {
				logger.info("hedge uses the embedded store in {}: the application's DataSource is an embedded database,"
						+ " which the instances cannot share (set hedge.store=jdbc to use it anyway)",
						properties.getEmbedded().getPath().toAbsolutePath());
				return EmbeddedStore.open(properties);
			}
			DatabaseInitializationMode mode = properties.getJdbc().getInitializeSchema();
			boolean initialize = mode == DatabaseInitializationMode.ALWAYS
					|| (mode == DatabaseInitializationMode.EMBEDDED && embedded);
			JdbcHedgeStore store = JdbcHedgeStore.open(dataSource, properties.jdbcTables(), initialize,
					JdbcHedgeStore.Properties.JDBC);
			logger.info("hedge uses the application's DataSource ({}; tables {}, {})", store.database(),
					properties.getJdbc().getLockTable(), properties.getJdbc().getLogTable());
			return store;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Conditional(StoreSelection.OnEmbedded.class)
	static class EmbeddedStore {

		static HedgeStore open(HedgeProperties properties) {
			return JdbcHedgeStore.embedded(properties.getEmbedded().getPath(),
					properties.getEmbedded().isInitializeSchema());
		}

		@Bean(destroyMethod = "close")
		@ConditionalOnMissingBean(HedgeStore.class)
		HedgeStore hedgeStore(HedgeProperties properties) {
			logger.info("hedge uses the embedded store in {}", properties.getEmbedded().getPath().toAbsolutePath());
			return open(properties);
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

	@Configuration(proxyBeanMethods = false)
	@Conditional(StoreSelection.OnJdbcRequired.class)
	static class JdbcMissing {

		@Bean
		@ConditionalOnMissingBean(HedgeStore.class)
		HedgeStore hedgeStore() {
			throw new HedgeConfigurationException("hedge.store",
					"jdbc is selected but the application has no single DataSource (or spring-jdbc is missing): add"
							+ " spring-boot-starter-jdbc and the database's JDBC driver (org.postgresql:postgresql),"
							+ " and set spring.datasource.url, username and password");
		}

	}

}
