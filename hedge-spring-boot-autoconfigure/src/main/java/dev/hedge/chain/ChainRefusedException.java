package dev.hedge.chain;

/**
 * A chain request refused by the member that received it, locally or over the wire (a reply's refusal): the request
 * was not applied. Internal to the chain; {@link ChainReplica} turns it into a public {@link ChainException} for
 * callers. No stack trace: refusals are routine during reconfigurations.
 */
final class ChainRefusedException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/** Why. */
	enum Reason {

		/** The sender's configuration is older than the receiver's ({@link #config()} is the receiver's). */
		STALE_CONFIG,

		/** The receiver's configuration is older than the sender's. */
		CONFIG_BEHIND,

		/** The receiver does not have the role the request needs in that configuration. */
		WRONG_ROLE,

		/** Compare-and-set: the committed version is not the expected one ({@link #currentVersion()}). */
		VERSION_MISMATCH,

		/** Too many writes in flight at the head. */
		OVERLOADED,

		/** A key, value or write id over the receiver's limits. */
		LIMIT,

		/** The receiver's chain is not running. */
		NOT_RUNNING

	}

	private final Reason reason;

	private final transient ChainConfig config;

	private final long currentVersion;

	ChainRefusedException(Reason reason, String message) {
		this(reason, message, null, 0);
	}

	ChainRefusedException(Reason reason, String message, ChainConfig config, long currentVersion) {
		super(message, null, false, false);
		this.reason = reason;
		this.config = config;
		this.currentVersion = currentVersion;
	}

	Reason reason() {
		return this.reason;
	}

	/** The receiver's configuration (STALE_CONFIG), or null. */
	ChainConfig config() {
		return this.config;
	}

	long currentVersion() {
		return this.currentVersion;
	}

}
