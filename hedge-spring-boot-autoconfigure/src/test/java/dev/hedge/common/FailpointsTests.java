package dev.hedge.common;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Review finding Q11: a stray {@code -Dhedge.failpoints=skipFenceCheck} in a production JVM disabled fencing. The
 * system property now needs a second, deliberate one.
 */
class FailpointsTests {

	@Test
	void theSystemPropertyAloneEnablesNothing() {
		assertThat(Failpoints.configured("skipFenceCheck", "")).isEmpty();
		assertThat(Failpoints.configured("skipFenceCheck", "true")).isEmpty();
	}

	@Test
	void armedTheyAreEnabled() {
		assertThat(Failpoints.configured("skipFenceCheck, ignoreDeadline", Failpoints.ARMED))
			.containsExactly("skipFenceCheck", "ignoreDeadline");
		assertThat(Failpoints.configured("", Failpoints.ARMED)).isEmpty();
	}

}
