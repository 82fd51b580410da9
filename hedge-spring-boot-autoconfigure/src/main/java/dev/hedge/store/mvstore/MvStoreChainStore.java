package dev.hedge.store.mvstore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.h2.mvstore.Cursor;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStore.TxCounter;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.StringDataType;

import dev.hedge.chain.AbstractChainStore;
import dev.hedge.chain.ChainStorage;
import dev.hedge.chain.ChainStore;
import dev.hedge.chain.ChainStoreClosedException;
import dev.hedge.chain.ChainStoreException;
import dev.hedge.chain.ChainStoreInUseException;
import dev.hedge.chain.ChainStoreOptions;
import dev.hedge.chain.KeyEntry;

/**
 * A {@link ChainStore} in one file, with H2's MVStore: one ordered map from key to the key's whole
 * {@link KeyEntry} (committed item, pending item, write records) in a compact checksummed encoding.
 *
 * <p><b>Durability:</b> {@link #isDurable()} is {@code true}. A mutation replaces its key's entry with one
 * {@link MVMap#put} (atomic in memory), then waits until an MVStore commit that includes it was written and
 * {@code fsync}ed ({@link MVStore#commit()} then {@link MVStore#sync()}): when the call returns, the change survives
 * a crash of the process or the machine. An MVStore commit writes a new chunk and switches to it only when the chunk
 * is complete, and each entry is one map value, so a crash at any moment leaves every key as it was after some
 * mutation (never a torn entry); entries also carry a CRC-32C that every read checks. Concurrent mutations share
 * commits (group commit): one thread commits and syncs everything saved so far while the others wait for it.
 *
 * <p>Only this class commits (MVStore's background thread and its memory-triggered commits are off), and every
 * commit is synced before the next one starts; so the space of dead chunks is reused at once (retention time 0:
 * MVStore still keeps the chunks of its last 5 versions, and reads pin the version they read) and the file stays
 * near the size of the live data instead of growing by a chunk per write for MVStore's default 45 s. Every
 * {@value #COMPACT_EVERY} commits the committing thread also lets MVStore rewrite up to 1 MiB of sparsely used
 * chunks.
 *
 * <p>Cost: a mutation rewrites the key's whole entry, so staging a key also rewrites its committed value (values are
 * expected to be small; a 1 MiB value costs about 2 MiB per stage). Opening counts the keys by reading every entry.
 *
 * <p><b>Exclusive use:</b> MVStore locks the file while it is open; opening a file that another store, in this
 * process or another live one, has open fails with {@link ChainStoreInUseException} and leaves it untouched. A
 * process that died releases the lock.
 *
 * <p><b>Threading:</b> thread-safe; every call is atomic per key, reads take no per-key lock, mutations of
 * different keys proceed in parallel (see {@link AbstractChainStore}). An I/O failure during a commit makes MVStore
 * close the store: the failed call throws {@link ChainStoreException} (its outcome is unknown) and later calls throw
 * {@link ChainStoreClosedException}, so data that may not be durable is never served.
 */
public final class MvStoreChainStore extends AbstractChainStore {

	/** The MVStore "store version" of this layout. */
	static final int STORE_VERSION = 1;

	static final int COMPACT_EVERY = 1024;

	private static final String MAP = "chain.entries";

	private final Path file;

	private final MVStore store;

	private final MVMap<String, byte[]> entries;

	private final AtomicLong saved = new AtomicLong();

	private final Object durability = new Object();

	private long durable;

	private long commits;

	private MvStoreChainStore(Path file, MVStore store, MVMap<String, byte[]> entries, ChainStoreOptions options) {
		super("chain store " + file, options);
		this.file = file;
		this.store = store;
		this.entries = entries;
		recount();
	}

	/**
	 * A member's chain storage in a directory ({@code hedge.chain.directory}): the store file {@code chain.mv.db} and
	 * the incarnation of its contents in {@code chain.incarnation}, kept across restarts while the file exists.
	 * @param directory the directory (created when missing)
	 * @param options the store's limits
	 * @return the storage
	 */
	public static ChainStorage storage(Path directory, ChainStoreOptions options) {
		return new MvStoreChainStorage(directory, options);
	}

	/**
	 * Opens (or creates, with its parent directories) a store file with {@link ChainStoreOptions#DEFAULTS}.
	 * @param file the file
	 * @return the store, holding everything that was durable in the file
	 * @throws ChainStoreInUseException if another open store has the file
	 * @throws ChainStoreException if the file cannot be opened or is not a chain store
	 */
	public static MvStoreChainStore open(Path file) {
		return open(file, ChainStoreOptions.DEFAULTS);
	}

	/**
	 * Opens (or creates, with its parent directories) a store file.
	 * @param file the file
	 * @param options the limits
	 * @return the store, holding everything that was durable in the file
	 * @throws ChainStoreInUseException if another open store has the file
	 * @throws ChainStoreException if the file cannot be opened or is not a chain store
	 */
	public static MvStoreChainStore open(Path file, ChainStoreOptions options) {
		Path absolute = file.toAbsolutePath().normalize();
		try {
			Files.createDirectories(absolute.getParent());
		}
		catch (IOException ex) {
			throw new ChainStoreException("chain store: cannot create the directory of " + absolute, ex);
		}
		MVStore store;
		try {
			store = new MVStore.Builder().fileName(absolute.toString())
				.autoCommitDisabled()
				.autoCommitBufferSize(0)
				.open();
		}
		catch (MVStoreException ex) {
			if (ex.getErrorCode() == DataUtils.ERROR_FILE_LOCKED) {
				throw new ChainStoreInUseException("chain store: " + absolute
						+ " is in use by another open store (in this process or another live one)", ex);
			}
			throw new ChainStoreException("chain store: cannot open " + absolute + ": " + ex.getMessage(), ex);
		}
		try {
			int version = store.getStoreVersion();
			boolean fresh = !store.hasMap(MAP);
			if ((!fresh && version != STORE_VERSION) || (fresh && !store.getMapNames().isEmpty())) {
				throw new ChainStoreException("chain store: " + absolute + " is not a chain store of layout "
						+ STORE_VERSION + " (store version " + version + ", maps " + store.getMapNames() + ")");
			}
			MVMap<String, byte[]> map = store.openMap(MAP, new MVMap.Builder<String, byte[]>()
				.keyType(StringDataType.INSTANCE)
				.valueType(ByteArrayDataType.INSTANCE));
			store.setRetentionTime(0);
			if (fresh) {
				store.setStoreVersion(STORE_VERSION);
				store.commit();
				store.sync();
			}
			return new MvStoreChainStore(absolute, store, map, options);
		}
		catch (MVStoreException ex) {
			store.closeImmediately();
			throw new ChainStoreException("chain store: cannot open " + absolute + ": " + ex.getMessage(), ex);
		}
		catch (RuntimeException ex) {
			store.closeImmediately();
			throw ex;
		}
	}

	/**
	 * The store's file.
	 * @return the absolute path
	 */
	public Path file() {
		return this.file;
	}

	/**
	 * The file's size now.
	 * @return bytes
	 */
	public long fileSize() {
		try {
			return Files.size(this.file);
		}
		catch (IOException ex) {
			return -1;
		}
	}

	@Override
	public boolean isDurable() {
		return true;
	}

	@Override
	protected KeyEntry load(String key) {
		byte[] stored;
		TxCounter pin = this.store.registerVersionUsage();
		try {
			stored = this.entries.get(key);
		}
		catch (MVStoreException | IllegalStateException ex) {
			throw failure("read", ex);
		}
		finally {
			this.store.deregisterVersionUsage(pin);
		}
		return (stored != null) ? EntryCodec.decode(key, stored) : null;
	}

	@Override
	protected long save(String key, KeyEntry entry) {
		try {
			if (entry == null) {
				this.entries.remove(key);
			}
			else {
				this.entries.put(key, EntryCodec.encode(entry));
			}
		}
		catch (MVStoreException | IllegalStateException ex) {
			throw failure("write", ex);
		}
		return this.saved.incrementAndGet();
	}

	@Override
	protected long lastToken() {
		return this.saved.get();
	}

	@Override
	protected void awaitDurable(long token) {
		synchronized (this.durability) {
			if (this.durable >= token) {
				return;
			}
			long upTo = this.saved.get();
			try {
				if (++this.commits % COMPACT_EVERY == 0) {
					this.store.compact(50, 1 << 20);
				}
				this.store.commit();
				this.store.sync();
			}
			catch (MVStoreException | IllegalStateException ex) {
				throw failure("commit", ex);
			}
			this.durable = upTo;
		}
	}

	@Override
	protected List<KeyEntry> entriesAfter(String afterKey, int limit) {
		List<KeyEntry> page = new ArrayList<>(Math.min(limit, 1024));
		TxCounter pin = this.store.registerVersionUsage();
		try {
			Iterator<Map.Entry<String, byte[]>> cursor = cursor(afterKey);
			while (page.size() < limit && cursor.hasNext()) {
				Map.Entry<String, byte[]> next = cursor.next();
				if (afterKey == null || next.getKey().compareTo(afterKey) > 0) {
					page.add(EntryCodec.decode(next.getKey(), next.getValue()));
				}
			}
		}
		catch (MVStoreException | IllegalStateException ex) {
			throw failure("scan", ex);
		}
		finally {
			this.store.deregisterVersionUsage(pin);
		}
		return page;
	}

	private Iterator<Map.Entry<String, byte[]>> cursor(String afterKey) {
		Cursor<String, byte[]> cursor = this.entries.cursor(afterKey);
		return new Iterator<>() {

			@Override
			public boolean hasNext() {
				return cursor.hasNext();
			}

			@Override
			public Map.Entry<String, byte[]> next() {
				String key = cursor.next();
				return Map.entry(key, cursor.getValue());
			}

		};
	}

	@Override
	protected void closeStorage() {
		try {
			this.store.close();
		}
		catch (MVStoreException | IllegalStateException ex) {
			throw failure("close", ex);
		}
	}

	private ChainStoreException failure(String operation, RuntimeException ex) {
		boolean mutation = "write".equals(operation) || "commit".equals(operation);
		if (!mutation && this.store.isClosed()) {
			return new ChainStoreClosedException(name() + " is closed (" + operation + " failed: " + ex.getMessage()
					+ ")", ex);
		}
		return new ChainStoreException(name() + ": " + operation + " failed"
				+ (mutation ? " (the outcome of the call is unknown): " : ": ") + ex.getMessage(), ex);
	}

}
