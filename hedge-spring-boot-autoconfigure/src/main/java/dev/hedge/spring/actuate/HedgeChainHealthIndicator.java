package dev.hedge.spring.actuate;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

import dev.hedge.HedgeNode;
import dev.hedge.chain.ChainState;

/**
 * {@link HealthIndicator} of this member's part in the replicated chain (contributor name {@code hedgeChain},
 * registered with {@code hedge.chain.enabled=true}):
 * <ul>
 * <li>{@code UP}: the member is one of the chain's serving members in the configuration it holds (head, middle or
 * tail), so it holds the chain's data — also while a coordinator failover has its read lease lapse for a moment
 * ({@code serving} in the details is then false), so that the whole group does not turn unready at once;</li>
 * <li>{@code OUT_OF_SERVICE}: the node runs but the member is not in the chain yet: it is copying the data to join
 * ({@code syncing}) or waits for its turn. Put the contributor in the readiness group (as the sample does) so that a
 * rolling update waits for each new member to hold the data before it stops the next old one; keep it out of
 * liveness, since a member catching up is healthy;</li>
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
		Health.Builder builder = state.config().isServing(state.self()) ? Health.up() : Health.outOfService();
		return builder.withDetail("role", state.role())
			.withDetail("serving", state.serving())
			.withDetail("configVersion", state.config().version())
			.withDetail("keys", state.keys())
			.withDetail("catchUpKeys", state.stats().catchUpKeys())
			.build();
	}

}
