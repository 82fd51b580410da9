package dev.hedge.sos;

import java.util.List;

/**
 * No member had room left for a writer's record: this member's memory and disk and every other member in the
 * placement order were full, unreachable or failed. The records of the session stored so far are exactly the first
 * {@link #getRecordsStored()} records written in it; the rest were not stored anywhere.
 */
public class SosCapacityException extends SosException {

	private static final long serialVersionUID = 1L;

	private final String store;

	private final long recordsStored;

	private final long bytesStored;

	private final List<String> attempts;

	/**
	 * Creates the exception.
	 * @param store the store
	 * @param recordsStored records of the session stored
	 * @param bytesStored their bytes
	 * @param attempts what happened at each place tried, in order
	 */
	public SosCapacityException(String store, long recordsStored, long bytesStored, List<String> attempts) {
		super("spill-over store '" + store + "': no member has room left; " + recordsStored + " records ("
				+ bytesStored + " bytes) of this write session are stored, later records are not; tried: "
				+ String.join("; ", attempts));
		this.store = store;
		this.recordsStored = recordsStored;
		this.bytesStored = bytesStored;
		this.attempts = List.copyOf(attempts);
	}

	/**
	 * The store.
	 * @return its name
	 */
	public String getStore() {
		return this.store;
	}

	/**
	 * Records of the write session that are stored (the first ones written).
	 * @return the count
	 */
	public long getRecordsStored() {
		return this.recordsStored;
	}

	/**
	 * Bytes of those records.
	 * @return the bytes
	 */
	public long getBytesStored() {
		return this.bytesStored;
	}

	/**
	 * What happened at each place tried, in placement order.
	 * @return one line per place
	 */
	public List<String> getAttempts() {
		return this.attempts;
	}

}
