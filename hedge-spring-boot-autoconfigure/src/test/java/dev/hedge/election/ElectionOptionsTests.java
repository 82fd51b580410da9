package dev.hedge.election;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.hedge.common.HedgeConfigurationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ElectionOptionsTests {

	@Test
	void defaultsAreTenSecondLeaseWithAFailoverBoundOfTwelveSeconds() {
		ElectionOptions options = ElectionOptions.defaults();
		assertThat(options.leaseDuration()).isEqualTo(Duration.ofSeconds(10));
		assertThat(options.failoverBound()).isEqualTo(Duration.ofSeconds(12));
		assertThat(options.validity()).isEqualTo(Duration.ofMillis(9740));
	}

	@Test
	void nonPositiveLeaseNamesTheProperty() {
		assertThatExceptionOfType(HedgeConfigurationException.class)
			.isThrownBy(() -> ElectionOptions.builder().leaseDuration(Duration.ZERO).build())
			.withMessageStartingWith("hedge.election.lease-duration: must be positive")
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("hedge.election.lease-duration"));
		assertThatExceptionOfType(HedgeConfigurationException.class)
			.isThrownBy(() -> ElectionOptions.builder().leaseDuration(Duration.ofSeconds(-1)).build())
			.withMessageContaining("hedge.election.lease-duration");
	}

	@Test
	void renewIntervalNotBelowTheLeaseNamesTheProperty() {
		assertThatExceptionOfType(HedgeConfigurationException.class)
			.isThrownBy(() -> ElectionOptions.builder()
				.leaseDuration(Duration.ofSeconds(5))
				.renewInterval(Duration.ofSeconds(5))
				.build())
			.withMessageStartingWith("hedge.election.renew-interval: must be shorter than hedge.election.lease-duration");
	}

	@Test
	void renewIntervalLongerThanOneRenewalProvesIsRefused() {
		assertThatExceptionOfType(HedgeConfigurationException.class)
			.isThrownBy(() -> ElectionOptions.builder()
				.leaseDuration(Duration.ofSeconds(2))
				.renewInterval(Duration.ofMillis(1900))
				.safetyMargin(Duration.ofMillis(200))
				.build())
			.withMessageStartingWith("hedge.election.renew-interval: must be shorter than what one renewal proves");
	}

	@Test
	void otherTimingsAreValidatedByName() {
		assertThatExceptionOfType(HedgeConfigurationException.class)
			.isThrownBy(() -> ElectionOptions.builder().pollInterval(Duration.ZERO).build())
			.withMessageStartingWith("hedge.election.poll-interval");
		assertThatExceptionOfType(HedgeConfigurationException.class)
			.isThrownBy(() -> ElectionOptions.builder().grace(Duration.ofMillis(-1)).build())
			.withMessageStartingWith("hedge.election.grace");
		assertThatExceptionOfType(HedgeConfigurationException.class)
			.isThrownBy(() -> ElectionOptions.builder().clockDrift(0.7).build())
			.withMessageStartingWith("hedge.election.clock-drift");
		assertThatExceptionOfType(HedgeConfigurationException.class)
			.isThrownBy(() -> ElectionOptions.builder().storeTimeout(Duration.ZERO).build())
			.withMessageStartingWith("hedge.election.store-timeout");
	}

}
