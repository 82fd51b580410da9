package dev.hedge.chain;

/**
 * A compare-and-set refused: the key's committed version was not the expected one. Nothing was written.
 */
public class ChainCompareFailedException extends ChainException {

	private static final long serialVersionUID = 1L;

	private final String key;

	private final long expectedVersion;

	private final long currentVersion;

	/**
	 * Creates the exception.
	 * @param key the key
	 * @param expectedVersion the version the write expected
	 * @param currentVersion the committed version found (0 if none)
	 */
	public ChainCompareFailedException(String key, long expectedVersion, long currentVersion) {
		super("compare-and-set of key '" + ChainVersionException.shorten(key) + "' refused: expected version "
				+ expectedVersion + ", found " + currentVersion, false);
		this.key = key;
		this.expectedVersion = expectedVersion;
		this.currentVersion = currentVersion;
	}

	/**
	 * The key.
	 * @return the key
	 */
	public String getKey() {
		return this.key;
	}

	/**
	 * The version the write expected.
	 * @return the version (0: the key had to be absent)
	 */
	public long getExpectedVersion() {
		return this.expectedVersion;
	}

	/**
	 * The committed version found.
	 * @return the version, 0 if the key has none
	 */
	public long getCurrentVersion() {
		return this.currentVersion;
	}

}
