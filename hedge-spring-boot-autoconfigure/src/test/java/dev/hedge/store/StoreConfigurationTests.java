package dev.hedge.store;

import org.junit.jupiter.api.Test;

import dev.hedge.common.HedgeConfigurationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class StoreConfigurationTests {

	@Test
	void storeKindsParseInAnyCase() {
		assertThat(StoreKind.parse("auto")).isEqualTo(StoreKind.AUTO);
		assertThat(StoreKind.parse(" Spanner ")).isEqualTo(StoreKind.SPANNER);
		assertThat(StoreKind.parse("EMBEDDED")).isEqualTo(StoreKind.EMBEDDED);
		assertThat(StoreKind.EMBEDDED.id()).isEqualTo("embedded");
		assertThat(StoreKind.parse("jdbc")).isEqualTo(StoreKind.JDBC);
		assertThat(StoreKind.JDBC.id()).isEqualTo("jdbc");
	}

	@Test
	void unknownStoreNamesTheProperty() {
		assertThatExceptionOfType(HedgeConfigurationException.class).isThrownBy(() -> StoreKind.parse("redis"))
			.withMessage("hedge.store: unknown store 'redis'; use auto, spanner, jdbc or embedded");
	}

	@Test
	void tableNamesThatCouldInjectSqlAreRefusedByProperty() {
		assertThatExceptionOfType(HedgeConfigurationException.class)
			.isThrownBy(() -> new TableNames("lock; DROP TABLE x", "log").validate("hedge.spanner.lock-table",
					"hedge.spanner.log-table"))
			.withMessageStartingWith("hedge.spanner.lock-table:");
		assertThatExceptionOfType(HedgeConfigurationException.class)
			.isThrownBy(() -> new TableNames("same", "SAME").validate("a", "hedge.spanner.log-table"))
			.withMessageStartingWith("hedge.spanner.log-table: must differ");
		assertThat(TableNames.defaults().validate("a", "b").lockTable()).isEqualTo("hedge_lock");
	}

}
