package dev.hedge.spring.actuate;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

import dev.hedge.HedgeNode;
import dev.hedge.chain.ChainState;

/**
 * {@link HealthIndicator} of this member's part in the replicated chain (contributor name {@code hedgeChain},
 * registered with {@code hedge.chain.enabled=true}):
 * <ul>
 * <li>{@code UP}: the member serves chain reads from its own store (it is in the chain and holds a read lease);</li>
 * <li>{@code OUT_OF_SERVICE}: the node runs but the member does not serve — it is copying the data to join
 * ({@code syncing}), waits for its turn to join, or lost its read lease. Put the contributor in the readiness group
 * (as the sample does) so that a rolling update waits for each new member to hold the data before it stops the next
 * old one; keep it out of liveness, since a member catching up is healthy;</li>
 * <li>{@code DOWN}: the node does not run.</li>
 * </ul>
 * Details: {@code role}, {@code serving}, {@code configVersion}, {@code keys}, {@code catchUpKeys}.
 *
 * <p>Answers from memory only (the chain's state); never calls the store or another member. Thread-safe.
 */
public class HedgeChainHealthIndicator implements HealthIndicator {

	private final HedgeNode node;

	/**
	 * Create a new {@code HedgeChainHealthIndicator} for {@code node}.
	 * @param node the node
	 */
	public HedgeChainHealthIndicator(HedgeNode node) {
		this.node = node;
	}

	@Override
	public Health health() {
		if (!this.node.isRunning()) {
			return Health.down().withDetail("running", false).build();
		}
		return of(this.node.chain().state());
	}

	static Health of(ChainState state) {
		Health.Builder builder = state.serving() ? Health.up() : Health.outOfService();
		return builder.withDetail("role", state.role())
			.withDetail("serving", state.serving())
			.withDetail("configVersion", state.config().version())
			.withDetail("keys", state.keys())
			.withDetail("catchUpKeys", state.stats().catchUpKeys())
			.build();
	}

}
