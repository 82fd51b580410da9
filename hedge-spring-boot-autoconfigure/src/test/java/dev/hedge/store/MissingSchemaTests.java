package dev.hedge.store;

import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.hedge.common.HedgeConfigurationException;
import dev.hedge.store.jdbc.JdbcHedgeStore;
import dev.hedge.store.spanner.SpannerHedgeStore;
import dev.hedge.testsupport.EmbeddedDatabaseExtension;
import dev.hedge.testsupport.EmbeddedTestDatabase;
import dev.hedge.testsupport.SpannerEmulatorExtension;
import dev.hedge.testsupport.SpannerTestDatabase;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@ExtendWith({ SpannerEmulatorExtension.class, EmbeddedDatabaseExtension.class })
class MissingSchemaTests {

	@Test
	void spannerWithoutTablesAndInitializationOffFailsNamingTheProperty(SpannerTestDatabase database) {
		assertThatExceptionOfType(HedgeConfigurationException.class)
			.isThrownBy(() -> SpannerHedgeStore.open(database.client(), database.admin(), database.id(),
					TableNames.defaults(), false))
			.withMessageStartingWith("hedge.spanner.initialize-schema: table(s) [hedge_lock, hedge_log, hedge_lock_chain] missing")
			.withMessageContaining("schema.ddl");
	}

	@Test
	void spannerTableWithoutHedgeColumnsFailsNamingTheTableProperty(SpannerTestDatabase database) throws Exception {
		database.admin()
			.updateDatabaseDdl(database.id().getInstanceId().getInstance(), database.name(),
					java.util.List.of("CREATE TABLE old_lock (name STRING(MAX) NOT NULL, heartbeat TIMESTAMP,"
							+ " token TIMESTAMP, writer STRING(MAX)) PRIMARY KEY (name)"),
					null)
			.get();
		assertThatExceptionOfType(HedgeConfigurationException.class)
			.isThrownBy(() -> SpannerHedgeStore.open(database.client(), database.admin(), database.id(),
					new TableNames("old_lock", "hedge_log"), true))
			.withMessageStartingWith("hedge.spanner.lock-table: table old_lock lacks column(s) [incarnation, epoch,"
					+ " lease_ms]");
	}

	@Test
	void embeddedWithoutTablesAndInitializationOffFailsNamingTheProperty(EmbeddedTestDatabase database) {
		JdbcConnectionPool pool = JdbcConnectionPool.create("jdbc:h2:file:" + database.directory().resolve("empty"),
				"sa", "");
		try {
			assertThatExceptionOfType(HedgeConfigurationException.class)
				.isThrownBy(() -> JdbcHedgeStore.open(pool, TableNames.defaults(), false))
				.withMessageStartingWith("hedge.embedded.initialize-schema: table(s) [hedge_lock, hedge_log, hedge_lock_chain] missing");
		}
		finally {
			pool.dispose();
		}
	}

}
