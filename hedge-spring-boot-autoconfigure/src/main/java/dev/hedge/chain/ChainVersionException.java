package dev.hedge.chain;

/**
 * A stage, commit or install refused because of the key's current versions. Nothing was changed. Carries the key's
 * versions at the time of the refusal, so that the chain protocol can decide what to do (commit or discard the
 * pending version first, fetch the committed item from the tail, ...).
 */
public class ChainVersionException extends ChainStoreException {

	private static final long serialVersionUID = 1L;

	/** Why a version was refused. */
	public enum Reason {

		/** The version is below 1 (versions start at 1; 0 means "none"). */
		INVALID_VERSION,

		/** Staged version above committed + 1 while nothing is pending: a version in between is missing. */
		GAP,

		/** Another version of the key is pending: it must be committed or discarded first. */
		PENDING_CONFLICT,

		/**
		 * The version is already committed or pending with another value or write id: two different writes got the
		 * same version, which the chain protocol must never allow.
		 */
		CONTENT_CONFLICT,

		/** Commit of a version above the committed one that is not the pending one. */
		NOT_STAGED

	}

	private final Reason reason;

	private final String key;

	private final long version;

	private final long committedVersion;

	private final long pendingVersion;

	/**
	 * Creates the exception.
	 * @param reason why
	 * @param operation the refused call, e.g. {@code "stage"}
	 * @param key the key
	 * @param version the version asked for
	 * @param committedVersion the key's committed version (0 if none)
	 * @param pendingVersion the key's pending version (0 if none)
	 */
	public ChainVersionException(Reason reason, String operation, String key, long version, long committedVersion,
			long pendingVersion) {
		super("chain store: " + operation + " of version " + version + " of key '" + shorten(key) + "' refused ("
				+ reason + "): committed version " + committedVersion + ", pending version "
				+ ((pendingVersion == 0) ? "none" : pendingVersion));
		this.reason = reason;
		this.key = key;
		this.version = version;
		this.committedVersion = committedVersion;
		this.pendingVersion = pendingVersion;
	}

	static String shorten(String key) {
		return (key.length() > 64) ? key.substring(0, 64) + "..." : key;
	}

	/**
	 * Why the version was refused.
	 * @return the reason
	 */
	public Reason getReason() {
		return this.reason;
	}

	/**
	 * The key.
	 * @return the key
	 */
	public String getKey() {
		return this.key;
	}

	/**
	 * The version the call asked for.
	 * @return the version
	 */
	public long getVersion() {
		return this.version;
	}

	/**
	 * The key's committed version when the call was refused.
	 * @return the version, 0 if none
	 */
	public long getCommittedVersion() {
		return this.committedVersion;
	}

	/**
	 * The key's pending version when the call was refused.
	 * @return the version, 0 if none
	 */
	public long getPendingVersion() {
		return this.pendingVersion;
	}

}
