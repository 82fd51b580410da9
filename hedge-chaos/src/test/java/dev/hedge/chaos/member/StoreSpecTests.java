package dev.hedge.chaos.member;

import java.nio.file.Path;
import java.util.Properties;

import com.zaxxer.hikari.HikariConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link StoreSpec}: the values of {@code chaos.store} the harness writes parse back to the same spec, and a
 * member reaches a JDBC store through its database link ({@link MemberStore#poolConfig}).
 */
class StoreSpecTests {

	@Test
	void spannerIsTheDefault() {
		assertThat(StoreSpec.parse(null)).isEqualTo(StoreSpec.spanner());
		assertThat(StoreSpec.parse(" ")).isEqualTo(StoreSpec.spanner());
		assertThat(StoreSpec.parse("spanner").kind()).isEqualTo(StoreSpec.Kind.SPANNER);
	}

	@Test
	void anEmbeddedDirectoryRoundTrips() {
		StoreSpec spec = StoreSpec.embedded(Path.of("target", "x", "..", "store"));
		assertThat(spec.location()).isEqualTo(Path.of("target", "store").toAbsolutePath().toString());
		assertThat(StoreSpec.parse(spec.text())).isEqualTo(spec);
	}

	@Test
	void aJdbcUrlIsKeptWhole() {
		StoreSpec spec = StoreSpec.parse("jdbc:postgresql://127.0.0.1:5432/hedge");
		assertThat(spec.kind()).isEqualTo(StoreSpec.Kind.JDBC);
		assertThat(spec.location()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/hedge");
		assertThat(StoreSpec.parse(spec.text())).isEqualTo(spec);
	}

	@Test
	void anythingElseIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> StoreSpec.parse("embedded:"));
		assertThatIllegalArgumentException().isThrownBy(() -> StoreSpec.parse("h2"))
			.withMessageContaining("embedded:<directory>");
	}

	@Test
	void aJdbcSpecMadeByTheHarnessRoundTrips() {
		StoreSpec spec = StoreSpec.jdbc("jdbc:postgresql://127.0.0.1:41234/chaos_1_ab12cd34");
		assertThat(StoreSpec.parse(spec.text())).isEqualTo(spec);
		assertThat(spec.toString()).isEqualTo("jdbc:postgresql://127.0.0.1:41234/chaos_1_ab12cd34");
		assertThatIllegalArgumentException().isThrownBy(() -> StoreSpec.jdbc("postgresql://127.0.0.1/x"));
		assertThatIllegalArgumentException().isThrownBy(() -> StoreSpec.jdbc(null));
	}

	@Test
	void theLinkReplacesTheUrlsHostAndPort() {
		StoreSpec spec = StoreSpec.jdbc("jdbc:postgresql://127.0.0.1:5432/hedge?currentSchema=chaos&ssl=false");
		assertThat(spec.jdbcUrl("127.0.0.1:40001"))
			.isEqualTo("jdbc:postgresql://127.0.0.1:40001/hedge?currentSchema=chaos&ssl=false");
		assertThat(StoreSpec.jdbc("jdbc:postgresql://db/hedge").jdbcUrl("127.0.0.1:40001"))
			.isEqualTo("jdbc:postgresql://127.0.0.1:40001/hedge");
		assertThat(StoreSpec.jdbc("jdbc:postgresql://[::1]:5432/hedge").jdbcUrl("127.0.0.1:40001"))
			.isEqualTo("jdbc:postgresql://127.0.0.1:40001/hedge");
		assertThat(StoreSpec.jdbc("jdbc:postgresql://db:5432?ssl=false").jdbcUrl("127.0.0.1:40001"))
			.isEqualTo("jdbc:postgresql://127.0.0.1:40001?ssl=false");
		assertThat(StoreSpec.jdbc("jdbc:postgresql://db:5432").jdbcUrl(" 127.0.0.1:40001 "))
			.isEqualTo("jdbc:postgresql://127.0.0.1:40001");
	}

	@Test
	void withoutALinkTheUrlIsKept() {
		StoreSpec spec = StoreSpec.jdbc("jdbc:postgresql://127.0.0.1:5432/hedge");
		assertThat(spec.jdbcUrl(null)).isEqualTo(spec.location());
		assertThat(spec.jdbcUrl(" ")).isEqualTo(spec.location());
	}

	@Test
	void aUrlALinkCannotStandInFrontOfIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> StoreSpec.jdbc("jdbc:postgresql://a:5432,b:5432/hedge").jdbcUrl("127.0.0.1:1"))
			.withMessageContaining("exactly one host");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> StoreSpec.jdbc("jdbc:postgresql:///hedge").jdbcUrl("127.0.0.1:1"));
		assertThatIllegalArgumentException().isThrownBy(() -> StoreSpec.jdbc("jdbc:h2:mem:x").jdbcUrl("127.0.0.1:1"))
			.withMessageContaining("no //host:port");
		assertThatIllegalStateException().isThrownBy(() -> StoreSpec.spanner().jdbcUrl("127.0.0.1:1"));
	}

	@Test
	void aMembersPoolConnectsThroughItsLinkAsTheGivenRole() {
		Properties properties = new Properties();
		properties.setProperty(StoreSpec.JDBC_USER, "hedge");
		properties.setProperty(StoreSpec.JDBC_PASSWORD, "secret");
		HikariConfig config = MemberStore.poolConfig(StoreSpec.parse("jdbc:postgresql://127.0.0.1:5432/chaos"),
				"127.0.0.1:40001", properties);
		assertThat(config.getJdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:40001/chaos");
		assertThat(config.getUsername()).isEqualTo("hedge");
		assertThat(config.getPassword()).isEqualTo("secret");
		// waiting for a connection never outlasts a store call; opening the store is retried, not the pool's start
		assertThat(config.getConnectionTimeout()).isEqualTo(MemberMain.ELECTION.storeTimeout().toMillis());
		assertThat(config.getInitializationFailTimeout()).isNegative();
		assertThat(config.getDataSourceProperties()).containsEntry("connectTimeout", "2")
			.containsEntry("loginTimeout", "3");
	}

}
