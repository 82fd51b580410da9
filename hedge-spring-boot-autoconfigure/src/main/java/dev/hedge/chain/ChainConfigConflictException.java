package dev.hedge.chain;

/**
 * A chain configuration write refused because the stored version is not the one it follows: another write (by this
 * leader or an earlier one) came first. Nothing was written; the writer re-reads the stored configuration and decides
 * again.
 */
public class ChainConfigConflictException extends ChainConfigException {

	private static final long serialVersionUID = 1L;

	private final long storedVersion;

	/**
	 * Creates the exception.
	 * @param group the group
	 * @param chain the chain
	 * @param version the version the write carried
	 * @param storedVersion the version found in the store (0 if none)
	 */
	public ChainConfigConflictException(String group, String chain, long version, long storedVersion) {
		super("chain configuration " + version + " of chain '" + chain + "' of group '" + group
				+ "' refused: the store holds version " + storedVersion + ", not " + (version - 1));
		this.storedVersion = storedVersion;
	}

	/**
	 * The version the store holds.
	 * @return the version, 0 if none
	 */
	public long getStoredVersion() {
		return this.storedVersion;
	}

}
