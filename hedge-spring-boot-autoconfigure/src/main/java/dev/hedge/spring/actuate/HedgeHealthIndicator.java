package dev.hedge.spring.actuate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

import dev.hedge.HedgeNode;
import dev.hedge.election.Leadership;

/**
 * {@link HealthIndicator} of this member's place in its hedge group (contributor name {@code hedge}):
 * <ul>
 * <li>{@code UP}: the node runs and a leader is known (this member or another);</li>
 * <li>{@code UNKNOWN}: the node runs but no leader is known — an election is in progress (after a leader left or
 * crashed, for at most lease + grace + poll interval), or the store cannot be reached so nobody can take the lease.
 * {@code UNKNOWN} ranks below {@code UP} in Spring Boot's default status order and maps to HTTP 200, so a group
 * without a leader neither fails {@code /actuator/health} nor gets pods restarted: every member is leaderless at the
 * same moment, and restarting them would only prolong the election;</li>
 * <li>{@code DOWN}: the node does not run (not started yet, or closed).</li>
 * </ul>
 * Details: {@code id}, {@code group}, {@code store}, {@code leader} (id or null), {@code isLeader}, {@code epoch},
 * {@code members} (how many this member knows of, itself included).
 *
 * <p>Answers from memory only (the state hedge's election and membership threads keep); never calls the store.
 * Thread-safe.
 */
public class HedgeHealthIndicator implements HealthIndicator {

	private final HedgeNode node;

	/**
	 * Create a new {@code HedgeHealthIndicator} instance for {@code node}.
	 * @param node the node
	 */
	public HedgeHealthIndicator(HedgeNode node) {
		this.node = node;
	}

	@Override
	public Health health() {
		Optional<String> id = NodeState.id(this.node);
		if (!this.node.isRunning()) {
			Health.Builder down = Health.down().withDetail("group", this.node.group()).withDetail("running", false);
			id.ifPresent((value) -> down.withDetail("id", value));
			return down.build();
		}
		Leadership leadership = this.node.leadership();
		Optional<String> leader = leadership.leaderId();
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("id", id.orElse(null));
		details.put("group", this.node.group());
		details.put("store", this.node.store().kind().id());
		details.put("leader", leader.orElse(null));
		details.put("isLeader", leadership.isLeader());
		details.put("epoch", leadership.epoch());
		details.put("members", this.node.membershipManager().view().members().size());
		Health.Builder builder = leader.isPresent() ? Health.up() : Health.unknown();
		builder.withDetails(details);
		return builder.build();
	}

}
