package dev.hedge.chain;

import java.util.Optional;

/**
 * A replicated key/value map of byte values, kept by chain replication with apportioned queries (CRAQ) on the
 * members of a hedge group. Usable from any member.
 *
 * <p><b>Writes</b> go to the head of the chain, are staged by every chain member in order, commit at the tail and
 * return once the tail committed: a write that returned survives as long as one chain member does (with in-memory
 * stores; with file-backed stores also a restart of every member). Each write carries a write id (generated unless
 * given): a write retried with the same id, also by another member and across reconfigurations, is applied at most
 * once and answers the version it got. The writes of one key get versions 1, 2, 3, ... in the order the head took
 * them.
 *
 * <p><b>Reads</b> ({@link ReadMode#LINEARIZABLE} by default) are served by any serving chain member: a clean key from
 * its own store, a dirty key (a write in flight) after asking the read tail which version is committed. A member
 * that does not serve (joining, or not in the chain) forwards the read to one that does.
 *
 * <p><b>Threading and timing:</b> thread-safe; every method blocks the caller until the answer or its deadline
 * ({@code hedge.chain.write-timeout}, {@code hedge.chain.read-timeout}), retrying across reconfigurations meanwhile,
 * and never runs user code on hedge's threads.
 */
public interface HedgeChain {

	/**
	 * Writes a value with a new write id.
	 * @param key the key (1..{@link ChainStoreOptions#maxKeyBytes()} UTF-8 bytes)
	 * @param value the value (copied)
	 * @return the version the write got
	 * @throws ChainUnavailableException if the write did not complete before the deadline
	 * @throws ChainLimitException if the key or value is too large
	 */
	long write(String key, byte[] value);

	/**
	 * Writes a value, at most once per write id.
	 * @param key the key
	 * @param value the value
	 * @param writeId the write id (1..{@link ChainStoreOptions#maxWriteIdBytes()} UTF-8 bytes): a write with an id
	 * the key recorded earlier answers that write's version and changes nothing
	 * @return the version the write got
	 * @throws ChainUnavailableException if the write did not complete before the deadline
	 * @throws ChainLimitException if the key, value or write id is too large
	 */
	long write(String key, byte[] value, String writeId);

	/**
	 * Writes a value only if the key's committed version is the expected one.
	 * @param key the key
	 * @param expectedVersion the committed version expected, 0 for "the key has no value"
	 * @param value the value
	 * @return the version the write got ({@code expectedVersion + 1})
	 * @throws ChainCompareFailedException if the committed version differs (nothing written)
	 * @throws ChainUnavailableException if the write did not complete before the deadline
	 */
	long compareAndSet(String key, long expectedVersion, byte[] value);

	/**
	 * {@link #compareAndSet(String, long, byte[])} with a write id: a retry of a compare-and-set that was applied
	 * answers its version instead of failing the comparison.
	 * @param key the key
	 * @param expectedVersion the committed version expected, 0 for "no value"
	 * @param value the value
	 * @param writeId the write id
	 * @return the version the write got
	 * @throws ChainCompareFailedException if the committed version differs (nothing written)
	 * @throws ChainUnavailableException if the write did not complete before the deadline
	 */
	long compareAndSet(String key, long expectedVersion, byte[] value, String writeId);

	/**
	 * Reads a key, linearizably.
	 * @param key the key
	 * @return its committed value, empty if the key has none
	 * @throws ChainUnavailableException if no serving member answered before the deadline
	 */
	default Optional<ChainValue> read(String key) {
		return read(key, ReadMode.LINEARIZABLE);
	}

	/**
	 * Reads a key.
	 * @param key the key
	 * @param mode how
	 * @return its committed value, empty if the key has none
	 * @throws ChainUnavailableException if no serving member answered before the deadline
	 */
	Optional<ChainValue> read(String key, ReadMode mode);

	/**
	 * This member's view of the chain, from memory.
	 * @return the state
	 */
	ChainState state();

}
