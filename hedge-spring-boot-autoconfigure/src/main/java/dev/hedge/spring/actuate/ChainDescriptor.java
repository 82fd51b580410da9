package dev.hedge.spring.actuate;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.hedge.chain.ChainConfig;
import dev.hedge.chain.ChainMember;
import dev.hedge.chain.ChainState;
import dev.hedge.chain.ChainStats;

/**
 * This member's view of the group's replicated chain, as {@code /actuator/hedge} shows it under {@code chain}: its
 * role, whether it serves reads now, the configuration it holds (members in chain order, head first, and the member
 * catching up), its store and its counts. Immutable; built from memory.
 *
 * @param enabled whether this member runs the chain ({@code hedge.chain.enabled})
 * @param role {@code head}, {@code middle}, {@code tail}, {@code head-tail}, {@code syncing} or {@code none}
 * @param serving whether it answers reads from its own store now
 * @param leaseRemainingMillis how much longer it may serve without another lease grant
 * @param configVersion the configuration version it holds (0 before any)
 * @param configEpoch the epoch of the leader that wrote that configuration
 * @param members the chain in order, the syncing member last
 * @param durable whether its store survives a crash (a file)
 * @param keys keys in its store
 * @param dirtyKeys keys with a write in flight
 * @param stats counts since start
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ChainDescriptor(boolean enabled, String role, boolean serving, long leaseRemainingMillis,
		long configVersion, long configEpoch, List<Member> members, boolean durable, long keys, long dirtyKeys,
		ChainStats stats) {

	static ChainDescriptor of(ChainState state) {
		ChainConfig config = state.config();
		List<Member> members = new ArrayList<>();
		for (int i = 0; i < config.members().size(); i++) {
			ChainMember member = config.members().get(i);
			String role = (config.members().size() == 1) ? "head-tail"
					: (i == 0) ? "head" : (i == config.members().size() - 1) ? "tail" : "middle";
			members.add(new Member(member.id(), member.incarnation(), member.durable(), role,
					member.sameAs(state.self())));
		}
		if (config.syncing() != null) {
			members.add(new Member(config.syncing().id(), config.syncing().incarnation(), config.syncing().durable(),
					"syncing", config.syncing().sameAs(state.self())));
		}
		return new ChainDescriptor(state.enabled(), state.role(), state.serving(), state.leaseRemainingMillis(),
				config.version(), config.epoch(), members, state.durable(), state.keys(), state.dirtyKeys(),
				state.stats());
	}

	/**
	 * One member of the chain.
	 * @param id its hedge member id
	 * @param incarnation the incarnation of its chain data
	 * @param durable whether its store survives a crash
	 * @param role its role
	 * @param self whether it is the member answering
	 */
	@JsonInclude(JsonInclude.Include.ALWAYS)
	public record Member(String id, String incarnation, boolean durable, String role, boolean self) {

	}

}
