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
	void theDefaultsAtTheDefaultLeaseAreTheDocumentedOnes() {
		ElectionOptions options = ElectionOptions.defaults();
		assertThat(options.renewInterval()).isEqualTo(Duration.ofSeconds(3));
		assertThat(options.pollInterval()).isEqualTo(Duration.ofSeconds(1));
		assertThat(options.grace()).isEqualTo(Duration.ofSeconds(1));
		assertThat(options.safetyMargin()).isEqualTo(Duration.ofMillis(250));
		assertThat(options.storeTimeout()).isEqualTo(Duration.ofSeconds(3));
	}

	@Test
	void aLeaseAloneIsEnoughTheOtherTimingsScaleWithIt() {
		// a new user's --hedge.election.lease-duration=3s used to fail: renew-interval kept its 3 s default
		ElectionOptions three = ElectionOptions.builder().leaseDuration(Duration.ofSeconds(3)).build();
		assertThat(three.renewInterval()).isEqualTo(Duration.ofMillis(900));
		assertThat(three.pollInterval()).isEqualTo(Duration.ofMillis(300));
		assertThat(three.grace()).isEqualTo(Duration.ofMillis(300));
		assertThat(three.safetyMargin()).isEqualTo(Duration.ofMillis(75));
		assertThat(three.storeTimeout()).isEqualTo(Duration.ofMillis(900));
		assertThat(three.validity()).isGreaterThan(three.renewInterval());
		ElectionOptions minute = ElectionOptions.builder().leaseDuration(Duration.ofMinutes(1)).build();
		assertThat(minute.renewInterval()).isEqualTo(Duration.ofSeconds(18));
		assertThat(minute.storeTimeout()).as("capped").isEqualTo(Duration.ofSeconds(3));
		for (long millis = 100; millis <= 600_000; millis = millis * 3 / 2) {
			ElectionOptions options = ElectionOptions.builder().leaseDuration(Duration.ofMillis(millis)).build();
			assertThat(options.validity()).as("lease %d ms", millis).isGreaterThan(options.renewInterval());
		}
	}

	@Test
	void anExplicitValueIsKeptAndAContradictionStillNamesTheKey() {
		ElectionOptions options = ElectionOptions.builder()
			.leaseDuration(Duration.ofSeconds(3))
			.renewInterval(Duration.ofSeconds(1))
			.build();
		assertThat(options.renewInterval()).isEqualTo(Duration.ofSeconds(1));
		assertThat(options.pollInterval()).isEqualTo(Duration.ofMillis(300));
		assertThatExceptionOfType(HedgeConfigurationException.class)
			.isThrownBy(() -> ElectionOptions.builder()
				.leaseDuration(Duration.ofSeconds(3))
				.renewInterval(Duration.ofSeconds(3))
				.build())
			.withMessage("hedge.election.renew-interval: must be shorter than hedge.election.lease-duration (PT3S >="
					+ " PT3S)");
	}

	@Test
	void noSlackAtAllIsRefused() {
		assertThatExceptionOfType(HedgeConfigurationException.class)
			.isThrownBy(() -> ElectionOptions.builder()
				.grace(Duration.ZERO)
				.safetyMargin(Duration.ZERO)
				.clockDrift(0)
				.build())
			.withMessageStartingWith("hedge.election.grace: grace, safety-margin and clock-drift are all zero");
		assertThat(ElectionOptions.builder().grace(Duration.ZERO).safetyMargin(Duration.ZERO).build().clockDrift())
			.isPositive();
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
