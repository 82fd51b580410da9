package dev.hedge.kv;

import java.time.Duration;

/**
 * Options of one put. Immutable.
 *
 * @param noAppend write the key's single overwritable slot (hedge-Go's {@code noappend}) instead of appending a
 * version; the newest write of either kind is what {@code get} returns
 * @param timeout how long the put may take, retries included (null for the default)
 */
public record PutOptions(boolean noAppend, Duration timeout) {

	/** Append, default deadline. */
	public static final PutOptions APPEND = new PutOptions(false, null);

	/** Overwrite the no-append slot, default deadline. */
	public static final PutOptions NO_APPEND = new PutOptions(true, null);

}
