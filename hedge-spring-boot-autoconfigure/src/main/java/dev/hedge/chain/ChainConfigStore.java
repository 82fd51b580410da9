package dev.hedge.chain;

import java.time.Duration;
import java.util.Optional;

import dev.hedge.common.StoreException;
import dev.hedge.election.Fence;
import dev.hedge.election.FencedException;

/**
 * Storage SPI of chain configurations: one row per (group, chain) in the table {@code <lock table>_chain}, written
 * only by the group's leader. A write is one transaction that first checks the writer's {@link Fence} against the
 * lease row (as every leader-side write does), then compares the stored version with the new one's predecessor and
 * replaces the row; so a deposed leader writes nothing, two leaders racing write at most one configuration per
 * version, and a new leader continues from the stored configuration. Implemented by every store adapter;
 * thread-safe.
 */
public interface ChainConfigStore {

	/** The name of the one chain a group runs today. */
	String DEFAULT_CHAIN = "default";

	/**
	 * The stored configuration (strong read).
	 * @param group the group
	 * @param chain the chain
	 * @param timeout deadline of the call
	 * @return the configuration, empty if none was ever written
	 * @throws ChainConfigException if the stored configuration is damaged
	 * @throws StoreException on failure or timeout
	 */
	Optional<ChainConfig> read(String group, String chain, Duration timeout);

	/**
	 * Writes the next configuration of a chain of the fence's group ({@link Fence#lockName()}): only if the stored
	 * version is {@code config.version() - 1} (none stored counts as 0), and only while the fence holds.
	 * @param fence the leader's fence (its lock name is the group)
	 * @param chain the chain
	 * @param config the configuration, written with the leader's epoch
	 * @param writer the leader's id
	 * @param timeout deadline of the call
	 * @throws FencedException if the fence is stale (nothing was written)
	 * @throws ChainConfigConflictException if the stored version is not the previous one (nothing was written)
	 * @throws StoreException on failure or timeout (a timeout leaves the outcome unknown)
	 */
	void write(Fence fence, String chain, ChainConfig config, String writer, Duration timeout);

	/**
	 * A store without chain configurations, for backends that do not implement them: every call fails.
	 * @param backend names the backend in the message
	 * @return the store
	 */
	static ChainConfigStore unsupported(String backend) {
		return new ChainConfigStore() {
			@Override
			public Optional<ChainConfig> read(String group, String chain, Duration timeout) {
				throw new StoreException(backend + " does not store chain configurations", null, false);
			}

			@Override
			public void write(Fence fence, String chain, ChainConfig config, String writer, Duration timeout) {
				throw new StoreException(backend + " does not store chain configurations", null, false);
			}
		};
	}

}
