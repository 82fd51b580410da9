package dev.hedge.chain;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One chain member's local storage for CRAQ (chain replication with apportioned queries): per key a committed (clean)
 * version and at most one pending (dirty) version, plus a bounded record of recent client write ids. The chain
 * protocol drives it: the head assigns version = committed + 1 and {@link #stage stages} it, forwards it, and waits
 * for its commit before assigning the next version of the key; every member stages what it receives; the tail
 * {@link #commit commits} on receipt and commits flow back to the head. Versions start at 1; 0 means "none".
 *
 * <h2>Rules</h2>
 * <ul>
 * <li><b>Stage</b> of version {@code v} with committed version {@code c} and pending version {@code p}:
 * <ul>
 * <li>{@code v == c + 1}, nothing pending: staged ({@link StageOutcome#STAGED});</li>
 * <li>{@code v == p}, same value and write id: no-op ({@link StageOutcome#ALREADY_STAGED}) - a predecessor
 * re-forwarding after a reconfiguration; different content: {@link ChainVersionException.Reason#CONTENT_CONFLICT};
 * </li>
 * <li>{@code v == c}, same value and write id: no-op ({@link StageOutcome#ALREADY_COMMITTED}); different content:
 * {@code CONTENT_CONFLICT};</li>
 * <li>{@code v < c}: no-op ({@link StageOutcome#SUPERSEDED}), nothing compared;</li>
 * <li>{@code v > p} while {@code p} is pending: refused, {@code PENDING_CONFLICT} (one pending version per key);</li>
 * <li>{@code v > c + 1}, nothing pending: refused, {@code GAP};</li>
 * <li>a write id already recorded for another version of the key: refused, {@link ChainWriteIdException}.</li>
 * </ul></li>
 * <li><b>Commit</b> of {@code v}: {@code v == p} commits it and drops the previous committed version
 * ({@link CommitOutcome#COMMITTED}); {@code v == c} and {@code v < c} are no-ops ({@code ALREADY_COMMITTED},
 * {@code SUPERSEDED}); any other version was never staged: refused, {@code NOT_STAGED}.</li>
 * <li>So a key never holds more than two versions, and its pending version is always its committed version + 1.</li>
 * <li>Write ids: each staged version records its write id; a key keeps the records of its newest
 * {@link ChainStoreOptions#writeIdsPerKey()} versions (default 32), committed or pending, and forgets older ones.
 * {@link #findWrite} answers a retried write; a retry beyond the bound is no longer recognised.</li>
 * <li>Refusals throw a subclass of {@link ChainStoreException} and change nothing; a plain
 * {@code ChainStoreException} is a storage failure whose outcome is unknown.</li>
 * </ul>
 *
 * <h2>Threading</h2>
 * Implementations are thread-safe. Every call is atomic per key: a mutation of a key is applied as a whole, and a
 * read sees a key as it was before or after each mutation, never in between. Mutations of one key are serialized;
 * mutations of different keys run concurrently. Calls that span keys ({@link #scan}, {@code all*}, {@link #stats})
 * are weakly consistent: each key is seen atomically, but keys changed during the call may be seen before or after
 * the change.
 *
 * <h2>Durability</h2>
 * When a mutation ({@code stage}, {@code commit}, {@code discard}, {@code install}) returns normally, its effect is as
 * durable as the implementation promises (see {@link #isDurable()}): for a durable store it survives a crash of the
 * process or machine, and a crash never leaves a partly applied key. A no-op outcome also waits until the state it
 * confirms is durable. Readers may see a mutation slightly before its call returns; if the member crashes in that
 * window the mutation is lost, as a call that never returned may be.
 *
 * <h2>Sizes</h2>
 * Keys are 1..{@link ChainStoreOptions#maxKeyBytes()} UTF-8 bytes, values 0..
 * {@link ChainStoreOptions#maxValueBytes()} bytes, write ids 1..{@link ChainStoreOptions#maxWriteIdBytes()} UTF-8
 * bytes; beyond that {@link ChainLimitException}. Key order is {@link String#compareTo(String)}.
 */
public interface ChainStore extends AutoCloseable {

	/**
	 * Stages a version of a key as its pending version (see the rules above).
	 * @param key the key
	 * @param version the version, the committed version + 1 for a new write
	 * @param value the value (copied)
	 * @param writeId the id of the client write
	 * @return what was done; every outcome may be acknowledged
	 * @throws ChainVersionException if the version is refused
	 * @throws ChainWriteIdException if the write id already has another version
	 * @throws ChainLimitException if the key, value or write id is empty or too large
	 */
	StageOutcome stage(String key, long version, byte[] value, String writeId);

	/**
	 * Commits the pending version of a key, dropping the older committed version (see the rules above).
	 * @param key the key
	 * @param version the version
	 * @return what was done; every outcome means the version is committed
	 * @throws ChainVersionException ({@code NOT_STAGED}) if the version is neither pending nor committed or older
	 */
	CommitOutcome commit(String key, long version);

	/**
	 * Drops a pending version that the chain protocol decided will never commit (after a reconfiguration, a pending
	 * version the new chain does not have), with its write record, so that the version can be given to another
	 * write. A key left with no item is removed.
	 * @param key the key
	 * @param version the pending version
	 * @return whether it was pending and is now dropped; {@code false} (and nothing changed) otherwise
	 */
	boolean discard(String key, long version);

	/**
	 * Applies a key's entry from another member (catch-up of a new member, repair after a reconfiguration):
	 * <ul>
	 * <li>a committed item newer than this store's replaces the committed item and drops a pending version not
	 * newer than it; an equal one must be the same write ({@code CONTENT_CONFLICT} otherwise); an older one is
	 * ignored;</li>
	 * <li>then a pending item newer than the committed version is staged by the stage rules
	 * ({@code PENDING_CONFLICT}, {@code CONTENT_CONFLICT}, {@code GAP}); an older one is ignored;</li>
	 * <li>the write records are merged by version (the entry's win), keeping the newest
	 * {@link ChainStoreOptions#writeIdsPerKey()}.</li>
	 * </ul>
	 * All or nothing for the key.
	 * @param entry the other member's entry
	 * @throws ChainVersionException if the entry conflicts with this store's versions
	 * @throws ChainLimitException if a key, value or write id is too large
	 */
	void install(KeyEntry entry);

	/**
	 * Installs entries one by one, as {@link #install(KeyEntry)} does, waiting for durability once for all of them:
	 * the way to load a page of a catch-up scan. If an entry is refused, the entries before it are installed (and
	 * durable), the refused one and those after it are not.
	 * @param entries the entries
	 * @throws ChainVersionException if an entry conflicts with this store's versions
	 * @throws ChainLimitException if a key, value or write id is too large
	 */
	void installAll(List<KeyEntry> entries);

	/**
	 * Reads a key for a CRAQ read: clean, dirty or not found.
	 * @param key the key
	 * @return what the store holds
	 */
	ReadResult read(String key);

	/**
	 * Reads one version of a key, committed or pending (a dirty read serves the version the tail says is
	 * committed).
	 * @param key the key
	 * @param version the version
	 * @return the item, empty if the store holds no such version (never staged, discarded or dropped by a newer
	 * commit)
	 */
	Optional<Item> readVersion(String key, long version);

	/**
	 * The committed version of a key (what the tail answers to a version query).
	 * @param key the key
	 * @return the version, 0 if none is committed
	 */
	long committedVersion(String key);

	/**
	 * Everything held for one key.
	 * @param key the key
	 * @return its entry, empty if the key has no item
	 */
	Optional<KeyEntry> entry(String key);

	/**
	 * The version a client write got, if the key still records it: the head answers a retried write with it (once
	 * {@link #committedVersion(String)} reaches it).
	 * @param key the key
	 * @param writeId the write id
	 * @return the version, committed or pending; empty if unknown or forgotten (beyond
	 * {@link ChainStoreOptions#writeIdsPerKey()})
	 */
	OptionalLong findWrite(String key, String writeId);

	/**
	 * The committed items whose key is missing from the map or whose version is above the map's version of it.
	 * @param versions key to version
	 * @return the items, in key order
	 */
	List<Item> allNewerCommitted(Map<String, Long> versions);

	/**
	 * The pending items whose key is missing from the map or whose version is above the map's version of it.
	 * @param versions key to version
	 * @return the items, in key order
	 */
	List<Item> allNewerDirty(Map<String, Long> versions);

	/**
	 * All pending items.
	 * @return the items, in key order
	 */
	List<Item> allDirty();

	/**
	 * All committed items (materialized in memory: for large stores use {@link #scan(String, int)}).
	 * @return the items, in key order
	 */
	List<Item> allCommitted();

	/**
	 * One page of the keys' entries in key order, for catch-up streaming: start with {@code afterKey == null} and
	 * pass each page's {@link ScanPage#nextAfterKey()} until {@link ScanPage#isLast()}. Keys added behind the cursor
	 * during a scan are not seen; every key present for the whole scan is returned exactly once.
	 * @param afterKey the last key of the previous page, {@code null} to start
	 * @param limit the most entries in the page (at least 1)
	 * @return the page
	 */
	ScanPage scan(String afterKey, int limit);

	/**
	 * Counts for metrics.
	 * @return the counts
	 */
	ChainStoreStats stats();

	/**
	 * The limits this store enforces.
	 * @return the options
	 */
	ChainStoreOptions options();

	/**
	 * Whether a mutation that returned survives a crash of the process and of the machine.
	 * @return {@code true} for a file-backed store, {@code false} for an in-memory one
	 */
	boolean isDurable();

	/**
	 * Closes the store after the calls in progress; later calls throw {@link ChainStoreClosedException}.
	 * Idempotent.
	 */
	@Override
	void close();

}
