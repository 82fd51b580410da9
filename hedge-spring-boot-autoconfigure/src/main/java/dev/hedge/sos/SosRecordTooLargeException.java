package dev.hedge.sos;

/** A record exceeds the cap ({@link SpillOver#maxRecordBytes()}); it was not stored, and the writer stays usable. */
public class SosRecordTooLargeException extends SosException {

	private static final long serialVersionUID = 1L;

	private final long size;

	private final long max;

	/**
	 * Creates the exception.
	 * @param size the record's size
	 * @param max the cap
	 */
	public SosRecordTooLargeException(long size, long max) {
		super("record of " + size + " bytes exceeds the spill-over record cap of " + max + " bytes");
		this.size = size;
		this.max = max;
	}

	/**
	 * The record's size.
	 * @return bytes
	 */
	public long getSize() {
		return this.size;
	}

	/**
	 * The cap.
	 * @return bytes
	 */
	public long getMax() {
		return this.max;
	}

}
