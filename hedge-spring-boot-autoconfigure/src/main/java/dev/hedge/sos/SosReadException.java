package dev.hedge.sos;

/**
 * A reader could not get records held by a peer: the peer was unreachable, did not answer in time, or no longer
 * holds them (its TTL passed, or it restarted). Names the member and the records missing, {@code [from, to)} in
 * the store's write order.
 */
public class SosReadException extends SosException {

	private static final long serialVersionUID = 1L;

	private final String store;

	private final String member;

	private final long fromRecord;

	private final long toRecord;

	/**
	 * Creates the exception.
	 * @param store the store
	 * @param member the peer
	 * @param fromRecord first missing record (position in the store)
	 * @param toRecord end of the missing range (exclusive)
	 * @param reason what went wrong
	 * @param cause the transport's failure, or null
	 */
	public SosReadException(String store, String member, long fromRecord, long toRecord, String reason,
			Throwable cause) {
		super("spill-over store '" + store + "': cannot read records [" + fromRecord + ", " + toRecord
				+ ") from member " + member + ": " + reason, cause);
		this.store = store;
		this.member = member;
		this.fromRecord = fromRecord;
		this.toRecord = toRecord;
	}

	/**
	 * The store.
	 * @return its name
	 */
	public String getStore() {
		return this.store;
	}

	/**
	 * The member holding the missing records.
	 * @return its id
	 */
	public String getMember() {
		return this.member;
	}

	/**
	 * First missing record.
	 * @return its position in the store
	 */
	public long getFromRecord() {
		return this.fromRecord;
	}

	/**
	 * End of the missing range on that member (exclusive).
	 * @return a position in the store
	 */
	public long getToRecord() {
		return this.toRecord;
	}

}
