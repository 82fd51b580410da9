package dev.hedge.sos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.hedge.HedgeNode;
import dev.hedge.common.HedgeConfigurationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Validation of {@link SpillOverOptions}: every problem names its {@code hedge.sos.*} property. */
class SosOptionsTests {

	private static final Path DIRECTORY = Path.of("build-does-not-matter");

	@Test
	void defaultsAreDocumented() {
		SpillOverOptions defaults = SpillOverOptions.defaults(8123);
		assertThat(defaults.memoryLimitBytes()).isEqualTo(64L << 20);
		assertThat(defaults.diskLimitBytes()).isEqualTo(1L << 30);
		assertThat(defaults.directory()).isEqualTo(Path.of(".hedge", "sos", "8123"));
		assertThat(defaults.ttl()).isEqualTo(Duration.ofSeconds(30));
	}

	@Test
	void negativeLimitsNameTheirProperty() {
		assertThatExceptionOfType(HedgeConfigurationException.class)
			.isThrownBy(() -> new SpillOverOptions(-1, 0, DIRECTORY, Duration.ofSeconds(1)))
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("hedge.sos.memory-limit"))
			.withMessageStartingWith("hedge.sos.memory-limit: ");
		assertThatExceptionOfType(HedgeConfigurationException.class)
			.isThrownBy(() -> new SpillOverOptions(0, -5, DIRECTORY, Duration.ofSeconds(1)))
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("hedge.sos.disk-limit"));
		assertThat(new SpillOverOptions(0, 0, DIRECTORY, Duration.ofSeconds(1)).memoryLimitBytes()).isZero();
	}

	@Test
	void aMissingDirectoryOrAFileInsteadNameTheDirectoryProperty() throws Exception {
		assertThatExceptionOfType(HedgeConfigurationException.class)
			.isThrownBy(() -> new SpillOverOptions(0, 0, null, Duration.ofSeconds(1)))
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("hedge.sos.directory"));
		assertThatExceptionOfType(HedgeConfigurationException.class)
			.isThrownBy(() -> new SpillOverOptions(0, 0, Path.of(" "), Duration.ofSeconds(1)))
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("hedge.sos.directory"));
		Path file = Files.createTempFile("hedge-sos-options", ".txt");
		try {
			assertThatExceptionOfType(HedgeConfigurationException.class)
				.isThrownBy(() -> new SpillOverOptions(0, 0, file, Duration.ofSeconds(1)))
				.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("hedge.sos.directory"))
				.withMessageContaining("is a file");
		}
		finally {
			Files.delete(file);
		}
	}

	@Test
	void aTtlOutsideItsRangeNamesTheTtlProperty() {
		for (Duration ttl : new Duration[] { null, Duration.ZERO, Duration.ofMillis(999), Duration.ofDays(8),
				Duration.ofSeconds(-1) }) {
			assertThatExceptionOfType(HedgeConfigurationException.class)
				.isThrownBy(() -> new SpillOverOptions(0, 0, DIRECTORY, ttl))
				.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("hedge.sos.ttl"));
		}
		assertThat(new SpillOverOptions(0, 0, DIRECTORY, Duration.ofSeconds(1)).ttl()).isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void withersValidateToo() {
		SpillOverOptions options = SpillOverOptions.defaults(1);
		assertThat(options.withMemoryLimit(5).withDiskLimit(6).withTtl(Duration.ofSeconds(7)).withDirectory(DIRECTORY))
			.isEqualTo(new SpillOverOptions(5, 6, DIRECTORY, Duration.ofSeconds(7)));
		assertThatExceptionOfType(HedgeConfigurationException.class).isThrownBy(() -> options.withDiskLimit(-1));
		assertThatExceptionOfType(NullPointerException.class).isThrownBy(() -> HedgeNode.builder("g").spillOver(null));
	}

}
