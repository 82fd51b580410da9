package dev.hedge.chain;

/**
 * A chain member's heartbeat to the coordinator: who it is, the configuration it holds, whether it finished copying
 * (syncing member) and whether it is leaving. Immutable.
 *
 * @param member the member
 * @param configVersion the configuration version it holds
 * @param caughtUp whether it is a syncing member that copied its predecessor's data
 * @param leaving whether it is closing and wants out of the chain
 */
record Heartbeat(ChainMember member, long configVersion, boolean caughtUp, boolean leaving) {

	/**
	 * The coordinator's answer.
	 * @param config the configuration it holds
	 * @param leaseMillis the read lease granted, counted from when the heartbeat was sent (0: none)
	 */
	record Answer(ChainConfig config, long leaseMillis) {

	}

}
