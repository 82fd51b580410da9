package dev.hedge.kv;

import java.time.Duration;

/**
 * Options of one put. Immutable.
 *
 * @param noAppend write the key's single overwritable slot (hedge-Go's {@code noappend}) instead of appending a
 * version; the newest write of either kind is what {@code get} returns
 * @param direct write straight to the store from this member, without going through the leader (hedge-Go's
 * {@code DirectWrite}): the row's {@code leader} column names this member, and the write is not fenced by an epoch;
 * it is still idempotent by its row id
 * @param timeout how long the put may take, retries included (null for the default)
 */
public record PutOptions(boolean noAppend, boolean direct, Duration timeout) {

	/** Append through the leader, default deadline. */
	public static final PutOptions APPEND = new PutOptions(false, false, null);

	/** Overwrite the no-append slot through the leader, default deadline. */
	public static final PutOptions NO_APPEND = new PutOptions(true, false, null);

	/** Append directly from this member (unfenced), default deadline. */
	public static final PutOptions DIRECT = new PutOptions(false, true, null);

}
