package dev.hedge.spring.autoconfigure;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import com.google.cloud.spring.autoconfigure.core.GcpContextAutoConfiguration;
import com.google.cloud.spring.autoconfigure.spanner.GcpSpannerAutoConfiguration;
import com.google.cloud.spring.autoconfigure.spanner.GcpSpannerEmulatorAutoConfiguration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.gson.GsonAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.hedge.common.HedgeConfigurationException;
import dev.hedge.kv.LogQuery;
import dev.hedge.store.HedgeStore;
import dev.hedge.store.StoreKind;
import dev.hedge.store.jdbc.JdbcHedgeStore;
import dev.hedge.testsupport.EmbeddedDatabaseExtension;
import dev.hedge.testsupport.EmbeddedTestDatabase;
import dev.hedge.testsupport.PostgresDatabaseExtension;
import dev.hedge.testsupport.PostgresTestDatabase;
import dev.hedge.testsupport.SpannerEmulatorExtension;
import dev.hedge.testsupport.SpannerTestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * {@code hedge.store=jdbc} and the {@code auto} order with an application {@code DataSource}: Spanner when configured,
 * else a non-embedded DataSource, else the embedded store; schema creation per {@code hedge.jdbc.initialize-schema};
 * configuration errors naming the property.
 */
@ExtendWith({ EmbeddedDatabaseExtension.class, PostgresDatabaseExtension.class })
class HedgeJdbcStoreAutoConfigurationTests {

	private final ApplicationContextRunner runner;

	private final PostgresTestDatabase postgres;

	HedgeJdbcStoreAutoConfigurationTests(EmbeddedTestDatabase embedded, PostgresTestDatabase postgres) {
		this.postgres = postgres;
		this.runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, HedgeAutoConfiguration.class))
			.withPropertyValues("spring.application.name=orders",
					"hedge.embedded.path=" + embedded.directory().resolve("jdbc-autoconfig"));
	}

	private ApplicationContextRunner onPostgres() {
		return this.runner.withPropertyValues("spring.datasource.url=" + this.postgres.url(),
				"spring.datasource.username=" + this.postgres.user(),
				"spring.datasource.password=" + this.postgres.password());
	}

	private List<String> postgresTables() throws Exception {
		List<String> tables = new ArrayList<>();
		try (Connection connection = this.postgres.connect();
				ResultSet rs = connection.getMetaData().getTables(null, "public", null, new String[] { "TABLE" })) {
			while (rs.next()) {
				tables.add(rs.getString("TABLE_NAME"));
			}
		}
		return tables;
	}

	@Test
	void autoUsesTheApplicationsPostgresDataSourceAndCreatesTheTablesOnlyWhenAskedTo() throws Exception {
		onPostgres().withPropertyValues("hedge.jdbc.lock-table=orders_lock", "hedge.jdbc.log-table=orders_log")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(HedgeConfigurationException.class)
				.hasMessageStartingWith("hedge.jdbc.initialize-schema:")
				.hasMessageContaining("orders_lock")
				.hasMessageContaining("schema-postgresql.sql"));
		assertThat(postgresTables()).doesNotContain("orders_lock", "orders_log");
		onPostgres()
			.withPropertyValues("hedge.jdbc.lock-table=orders_lock", "hedge.jdbc.log-table=orders_log",
					"hedge.jdbc.initialize-schema=always")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				HedgeStore store = context.getBean(HedgeStore.class);
				assertThat(store.kind()).isEqualTo(StoreKind.JDBC);
				assertThat(((JdbcHedgeStore) store).database()).isEqualTo("postgresql");
				assertThat(store.log().read("nothing", LogQuery.latest(), Duration.ofSeconds(5))).isEmpty();
			});
		assertThat(postgresTables()).contains("orders_lock", "orders_log");
		// once the tables exist, never (the DBA created them) starts
		onPostgres()
			.withPropertyValues("hedge.jdbc.lock-table=orders_lock", "hedge.jdbc.log-table=orders_log",
					"hedge.jdbc.initialize-schema=never")
			.run((context) -> assertThat(context.getBean(HedgeStore.class).kind()).isEqualTo(StoreKind.JDBC));
	}

	@Test
	void anEmbeddedDataSourceIsNotSharedByTheInstancesSoAutoUsesTheEmbeddedStore() {
		// no spring.datasource.url: Spring Boot's in-memory H2
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(DataSource.class);
			assertThat(context.getBean(HedgeStore.class).kind()).isEqualTo(StoreKind.EMBEDDED);
		});
	}

	@Test
	void jdbcUsesAnEmbeddedDataSourceWhenAskedToAndCreatesItsTables() {
		this.runner.withPropertyValues("hedge.store=jdbc").run((context) -> {
			assertThat(context).hasNotFailed();
			HedgeStore store = context.getBean(HedgeStore.class);
			assertThat(store.kind()).isEqualTo(StoreKind.JDBC);
			assertThat(((JdbcHedgeStore) store).database()).isEqualTo("h2");
			assertThat(store.log().read("nothing", LogQuery.latest(), Duration.ofSeconds(5))).isEmpty();
		});
	}

	@Test
	void withoutADataSourceAutoUsesTheEmbeddedStoreAndJdbcFailsNamingTheProperty() {
		ApplicationContextRunner withoutJdbc = this.runner
			.withClassLoader(new FilteredClassLoader("org.springframework.jdbc"));
		withoutJdbc.run((context) -> assertThat(context.getBean(HedgeStore.class).kind())
			.isEqualTo(StoreKind.EMBEDDED));
		withoutJdbc.withPropertyValues("hedge.store=jdbc")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(HedgeConfigurationException.class)
				.hasMessageStartingWith("hedge.store: jdbc is selected but the application has no single DataSource"));
	}

	@Test
	void anUnsupportedDatabaseFailsNamingTheProperty() {
		this.runner.withPropertyValues("hedge.store=jdbc")
			.withUserConfiguration(MySqlDataSource.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(HedgeConfigurationException.class)
				.hasMessageStartingWith("hedge.store: hedge's JDBC store supports H2 and PostgreSQL, not MySQL 8.4"));
	}

	@Test
	void anInvalidTableNameFailsNamingTheProperty() {
		onPostgres().withPropertyValues("hedge.jdbc.lock-table=hedge lock; DROP")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(HedgeConfigurationException.class)
				.hasMessageStartingWith("hedge.jdbc.lock-table:"));
	}

	@Test
	void theApplicationsOwnStoreWinsOverItsDataSource() {
		onPostgres().withUserConfiguration(HedgeAutoConfigurationTests.OwnStore.class)
			.run((context) -> assertThat(context).getBean(HedgeStore.class).isSameAs(context.getBean("myStore")));
	}

	@Configuration(proxyBeanMethods = false)
	static class MySqlDataSource {

		@Bean
		DataSource dataSource() throws Exception {
			DataSource dataSource = mock(DataSource.class);
			Connection connection = mock(Connection.class);
			DatabaseMetaData meta = mock(DatabaseMetaData.class);
			given(dataSource.getConnection()).willReturn(connection);
			given(connection.getMetaData()).willReturn(meta);
			given(meta.getDatabaseProductName()).willReturn("MySQL");
			given(meta.getDatabaseProductVersion()).willReturn("8.4");
			given(meta.getURL()).willReturn("jdbc:mysql://db:3306/orders");
			return dataSource;
		}

	}

	@Nested
	@ExtendWith(SpannerEmulatorExtension.class)
	class WithSpanner {

		@Test
		void configuredSpannerWinsOverTheApplicationsDataSource(SpannerTestDatabase spanner) {
			onPostgres()
				.withConfiguration(AutoConfigurations.of(GsonAutoConfiguration.class, GcpContextAutoConfiguration.class,
						GcpSpannerEmulatorAutoConfiguration.class, GcpSpannerAutoConfiguration.class))
				.withPropertyValues("spring.cloud.gcp.project-id=hedge-test",
						"spring.cloud.gcp.spanner.project-id=hedge-test",
						"spring.cloud.gcp.spanner.instance-id=hedge-test",
						"spring.cloud.gcp.spanner.database=" + spanner.name(),
						"spring.cloud.gcp.spanner.emulator.enabled=true",
						"spring.cloud.gcp.spanner.emulator-host=" + spanner.emulatorHost())
				.run((context) -> {
					assertThat(context).hasNotFailed();
					assertThat(context.getBean(HedgeStore.class).kind()).isEqualTo(StoreKind.SPANNER);
				});
		}

		@Test
		void jdbcCanBeForcedEvenWhenSpannerIsConfigured(SpannerTestDatabase spanner) {
			onPostgres()
				.withConfiguration(AutoConfigurations.of(GsonAutoConfiguration.class, GcpContextAutoConfiguration.class,
						GcpSpannerEmulatorAutoConfiguration.class, GcpSpannerAutoConfiguration.class))
				.withPropertyValues("hedge.store=jdbc", "hedge.jdbc.initialize-schema=always",
						"spring.cloud.gcp.project-id=hedge-test",
						"spring.cloud.gcp.spanner.project-id=hedge-test",
						"spring.cloud.gcp.spanner.instance-id=hedge-test",
						"spring.cloud.gcp.spanner.database=" + spanner.name(),
						"spring.cloud.gcp.spanner.emulator.enabled=true",
						"spring.cloud.gcp.spanner.emulator-host=" + spanner.emulatorHost())
				.run((context) -> assertThat(context.getBean(HedgeStore.class).kind()).isEqualTo(StoreKind.JDBC));
		}

	}

}
