package dev.hedge.chain;

/**
 * What {@link ChainStore#stage(String, long, byte[], String)} did. Every outcome is an acknowledgement the caller
 * may pass on: the version is in the store (or superseded by a committed one) and durable.
 */
public enum StageOutcome {

	/** The version is now the key's pending version. */
	STAGED,

	/** The same write was already the pending version (a re-forward): nothing changed. */
	ALREADY_STAGED,

	/** The same write is already the committed version: nothing changed. */
	ALREADY_COMMITTED,

	/**
	 * A newer version is already committed, so this one is history: nothing changed and nothing was compared (the
	 * older version's content is no longer kept).
	 */
	SUPERSEDED

}
