package dev.hedge.spring.autoconfigure;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class HedgeEnvironmentPostProcessorTests {

	private MockEnvironment process(String... properties) {
		MockEnvironment environment = new MockEnvironment();
		for (String property : properties) {
			String[] pair = property.split("=", 2);
			environment.setProperty(pair[0], pair[1]);
		}
		new HedgeEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
		return environment;
	}

	@Test
	void withoutAnyGcpConfigurationGcpStaysOff() {
		MockEnvironment environment = process();
		assertThat(environment.getProperty("spring.cloud.gcp.spanner.enabled")).isEqualTo("false");
		assertThat(environment.getProperty("spring.cloud.gcp.core.enabled")).isEqualTo("false");
		assertThat(environment.getProperty("spring.cloud.gcp.secretmanager.enabled")).isEqualTo("false");
	}

	@Test
	void onTheEmulatorSpannerStaysOnAndSecretManagerOff() {
		MockEnvironment environment = process("spring.cloud.gcp.spanner.emulator.enabled=true");
		assertThat(environment.getProperty("spring.cloud.gcp.spanner.enabled")).isNull();
		assertThat(environment.getProperty("spring.cloud.gcp.core.enabled")).isNull();
		assertThat(environment.getProperty("spring.cloud.gcp.secretmanager.enabled")).isEqualTo("false");
	}

	@Test
	void onRealSpannerNothingIsChanged() {
		MockEnvironment environment = process("spring.cloud.gcp.spanner.instance-id=prod",
				"spring.cloud.gcp.spanner.database=orders");
		assertThat(environment.getPropertySources().contains(HedgeEnvironmentPostProcessor.SOURCE)).isFalse();
	}

	@Test
	void explicitSettingsWinOverTheDefaults() {
		MockEnvironment environment = process("spring.cloud.gcp.secretmanager.enabled=true");
		assertThat(environment.getProperty("spring.cloud.gcp.secretmanager.enabled")).isEqualTo("true");
	}

	@Test
	void disabledHedgeChangesNothing() {
		MockEnvironment environment = process("hedge.enabled=false");
		assertThat(environment.getPropertySources().contains(HedgeEnvironmentPostProcessor.SOURCE)).isFalse();
	}

}
