package dev.hedge.chain;

/**
 * This member's view of its chain, for the actuator endpoint and meters. A snapshot taken from memory.
 *
 * @param enabled whether this member runs the chain
 * @param self this member's chain identity ({@code null} before start or when disabled)
 * @param role {@code head}, {@code middle}, {@code tail} (the read tail), {@code head-tail} (a chain of one),
 * {@code syncing} (catching up behind the tail) or {@code none}
 * @param serving whether this member answers reads from its own store now (a serving member with a live lease)
 * @param config the configuration this member holds ({@link ChainConfig#NONE} before any)
 * @param leaseRemainingMillis how much longer this member may serve reads without another grant
 * @param durable whether this member's store survives a crash
 * @param keys keys in this member's store
 * @param dirtyKeys keys with a write in flight
 * @param stats counts since start
 */
public record ChainState(boolean enabled, ChainMember self, String role, boolean serving, ChainConfig config,
		long leaseRemainingMillis, boolean durable, long keys, long dirtyKeys, ChainStats stats) {

}
