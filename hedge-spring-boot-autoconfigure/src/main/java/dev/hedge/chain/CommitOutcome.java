package dev.hedge.chain;

/** What {@link ChainStore#commit(String, long)} did. Every outcome means the version is committed and durable. */
public enum CommitOutcome {

	/** The pending version is now the committed one; the previous committed version is dropped. */
	COMMITTED,

	/** It was already the committed version: nothing changed. */
	ALREADY_COMMITTED,

	/** A newer version is already committed (so this one was too): nothing changed. */
	SUPERSEDED

}
