package dev.hedge.chaos.member;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link StoreSpec}: the values of {@code chaos.store} the harness writes parse back to the same spec.
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
	void noMemberOpensAJdbcServerDatabaseYet() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> MemberStore.open(StoreSpec.parse("jdbc:postgresql://127.0.0.1/hedge"), null, null))
			.withMessageContaining("not wired");
	}

}
