package dev.hedge.chain;

/**
 * A stage refused because its write id is already recorded for another version of the key: the write was already
 * given a version, which {@link ChainStore#findWrite(String, String)} returns. The head must answer a retried write
 * with that version instead of staging it again. Nothing was changed.
 */
public class ChainWriteIdException extends ChainStoreException {

	private static final long serialVersionUID = 1L;

	private final String key;

	private final String writeId;

	private final long recordedVersion;

	/**
	 * Creates the exception.
	 * @param key the key
	 * @param writeId the write id
	 * @param version the version the stage asked for
	 * @param recordedVersion the version the write id already has
	 */
	public ChainWriteIdException(String key, String writeId, long version, long recordedVersion) {
		super("chain store: stage of version " + version + " of key '" + ChainVersionException.shorten(key)
				+ "' refused: its write id " + writeId + " already has version " + recordedVersion);
		this.key = key;
		this.writeId = writeId;
		this.recordedVersion = recordedVersion;
	}

	/**
	 * The key.
	 * @return the key
	 */
	public String getKey() {
		return this.key;
	}

	/**
	 * The write id.
	 * @return the write id
	 */
	public String getWriteId() {
		return this.writeId;
	}

	/**
	 * The version the write id already has.
	 * @return the version
	 */
	public long getRecordedVersion() {
		return this.recordedVersion;
	}

}
