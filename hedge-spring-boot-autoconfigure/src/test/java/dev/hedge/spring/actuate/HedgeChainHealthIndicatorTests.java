package dev.hedge.spring.actuate;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

import dev.hedge.chain.ChainConfig;
import dev.hedge.chain.ChainMember;
import dev.hedge.chain.ChainState;
import dev.hedge.chain.ChainStats;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The statuses of {@link HedgeChainHealthIndicator} for a running member (a running and a closed one are in
 * {@code HedgeChainApplicationTests}): out of service until it is in the chain, up while it is.
 */
class HedgeChainHealthIndicatorTests {

	private final ChainMember head = new ChainMember("10.0.0.5:9091", "a", false);

	private final ChainMember joiner = new ChainMember("10.0.0.6:9091", "b", false);

	@Test
	void aSyncingMemberIsOutOfServiceWithItsProgress() {
		ChainConfig config = new ChainConfig(4, 2, List.of(this.head), this.joiner);
		Health health = HedgeChainHealthIndicator.of(state(config, "syncing", false, 700));
		assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
		assertThat(health.getDetails()).containsEntry("role", "syncing")
			.containsEntry("serving", false)
			.containsEntry("configVersion", 4L)
			.containsEntry("catchUpKeys", 700L);
	}

	@Test
	void aServingMemberIsUpAlsoWhileItsReadLeaseLapses() {
		ChainConfig config = new ChainConfig(5, 2, List.of(this.head, this.joiner), null);
		assertThat(HedgeChainHealthIndicator.of(state(config, "tail", true, 1000)).getStatus()).isEqualTo(Status.UP);
		Health lapsed = HedgeChainHealthIndicator.of(state(config, "tail", false, 1000));
		assertThat(lapsed.getStatus()).isEqualTo(Status.UP);
		assertThat(lapsed.getDetails()).containsEntry("serving", false);
	}

	@Test
	void aMemberOutsideTheChainIsOutOfService() {
		ChainConfig config = new ChainConfig(5, 2, List.of(this.head), null);
		assertThat(HedgeChainHealthIndicator.of(state(config, "none", false, 0)).getStatus())
			.isEqualTo(Status.OUT_OF_SERVICE);
	}

	private ChainState state(ChainConfig config, String role, boolean serving, long catchUpKeys) {
		return new ChainState(true, this.joiner, role, serving, config, serving ? 3000 : 0, false, 1000, 0,
				new ChainStats(0, 0, 0, 0, 0, 0, 0, 2, catchUpKeys));
	}

}
