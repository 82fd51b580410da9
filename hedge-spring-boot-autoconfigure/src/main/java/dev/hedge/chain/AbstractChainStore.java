package dev.hedge.chain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import dev.hedge.chain.ChainVersionException.Reason;

/**
 * The rules of {@link ChainStore}, once, for every implementation: argument checks, the stage/commit/discard/install
 * state machine, per-key locking, close and counts. An implementation supplies a map of {@link KeyEntry} by key in
 * key order ({@link #load}, {@link #save}, {@link #entriesAfter}) and its durability ({@link #awaitDurable}).
 *
 * <p><b>Threading:</b> mutations of a key run under one of {@value #STRIPES} lock stripes chosen by the key's hash,
 * so a key's mutations are serialized and {@link #save} is called for a key by one thread at a time; reads call
 * {@link #load} without a lock, so {@code save} must replace a key's entry atomically (readers see the old or the new
 * entry). {@link #awaitDurable} is called outside the stripe lock, so that durability waits of concurrent mutations
 * can be shared (group commit). A read/write lock keeps {@link #close()} from overlapping calls in progress.
 *
 * <p><b>Durability:</b> a mutation returns once {@link #awaitDurable} returned for the token its {@link #save}
 * gave; a no-op returns once everything saved so far ({@link #lastToken()}) is durable.
 */
public abstract class AbstractChainStore implements ChainStore {

	/** How many lock stripes serialize mutations by key. */
	protected static final int STRIPES = 256;

	private static final int PAGE = 1024;

	private final String name;

	private final ChainStoreOptions options;

	private final Object[] stripes = new Object[STRIPES];

	private final ReentrantReadWriteLock open = new ReentrantReadWriteLock();

	private final AtomicLong keys = new AtomicLong();

	private final AtomicLong dirtyKeys = new AtomicLong();

	private boolean closed;

	/**
	 * Creates the store.
	 * @param name how messages name it
	 * @param options its limits
	 */
	protected AbstractChainStore(String name, ChainStoreOptions options) {
		this.name = Objects.requireNonNull(name, "name");
		this.options = Objects.requireNonNull(options, "options");
		for (int i = 0; i < STRIPES; i++) {
			this.stripes[i] = new Object();
		}
	}

	/**
	 * The entry of a key as last saved.
	 * @param key the key
	 * @return the entry, {@code null} if the key has none
	 */
	protected abstract KeyEntry load(String key);

	/**
	 * Replaces a key's entry, atomically for readers of {@link #load} and {@link #entriesAfter}. Called under the
	 * key's stripe lock.
	 * @param key the key
	 * @param entry the new entry, {@code null} to remove the key
	 * @return a token to pass to {@link #awaitDurable(long)}; tokens grow with every save
	 */
	protected abstract long save(String key, KeyEntry entry);

	/**
	 * The token of the latest save (of any key).
	 * @return the token
	 */
	protected abstract long lastToken();

	/**
	 * Waits until the save that returned the token, and every earlier one, is durable.
	 * @param token a token of {@link #save}
	 */
	protected abstract void awaitDurable(long token);

	/**
	 * Entries in key order.
	 * @param afterKey start after this key, {@code null} to start with the first
	 * @param limit the most entries
	 * @return the entries
	 */
	protected abstract List<KeyEntry> entriesAfter(String afterKey, int limit);

	/** Releases the storage. Called once, by {@link #close()}, with no call in progress. */
	protected abstract void closeStorage();

	/**
	 * Sets the counts from the entries held: an implementation that opens existing data calls it once, before the
	 * store is used.
	 */
	protected final void recount() {
		long all = 0;
		long dirty = 0;
		String after = null;
		while (true) {
			List<KeyEntry> page = entriesAfter(after, PAGE);
			for (KeyEntry entry : page) {
				all++;
				if (entry.isDirty()) {
					dirty++;
				}
			}
			if (page.size() < PAGE) {
				break;
			}
			after = page.get(page.size() - 1).key();
		}
		this.keys.set(all);
		this.dirtyKeys.set(dirty);
	}

	/**
	 * How messages name this store.
	 * @return the name
	 */
	protected final String name() {
		return this.name;
	}

	@Override
	public final ChainStoreOptions options() {
		return this.options;
	}

	@Override
	public final StageOutcome stage(String key, long version, byte[] value, String writeId) {
		checkKey(key);
		Objects.requireNonNull(value, "value");
		if (value.length > this.options.maxValueBytes()) {
			throw new ChainLimitException("value", value.length, this.options.maxValueBytes(), key);
		}
		checkWriteId(key, writeId);
		checkVersion("stage", key, version);
		Item item = new Item(key, version, value, writeId, false);
		return locked(() -> mutate(key, (before) -> stageOn(before, item)));
	}

	@Override
	public final CommitOutcome commit(String key, long version) {
		checkKey(key);
		checkVersion("commit", key, version);
		return locked(() -> mutate(key, (before) -> commitOn(before, key, version)));
	}

	@Override
	public final boolean discard(String key, long version) {
		checkKey(key);
		return locked(() -> mutate(key, (before) -> discardOn(before, version)));
	}

	@Override
	public final void install(KeyEntry entry) {
		installAll(List.of(entry));
	}

	@Override
	public final void installAll(List<KeyEntry> entries) {
		entries.forEach(this::checkEntry);
		locked(() -> {
			long token = 0;
			try {
				for (KeyEntry entry : entries) {
					token = Math.max(token, apply(entry.key(), (before) -> installOn(before, entry)).token());
				}
			}
			finally {
				awaitDurable(token);
			}
			return null;
		});
	}

	@Override
	public final ReadResult read(String key) {
		KeyEntry entry = get(key);
		if (entry == null) {
			return new ReadResult.NotFound();
		}
		if (entry.isDirty()) {
			return new ReadResult.Dirty(Optional.ofNullable(entry.committed()), entry.pendingVersion());
		}
		return new ReadResult.Clean(entry.committed());
	}

	@Override
	public final Optional<Item> readVersion(String key, long version) {
		KeyEntry entry = get(key);
		return (entry != null) ? entry.item(version) : Optional.empty();
	}

	@Override
	public final long committedVersion(String key) {
		KeyEntry entry = get(key);
		return (entry != null) ? entry.committedVersion() : 0;
	}

	@Override
	public final Optional<KeyEntry> entry(String key) {
		return Optional.ofNullable(get(key));
	}

	@Override
	public final OptionalLong findWrite(String key, String writeId) {
		Objects.requireNonNull(writeId, "writeId");
		KeyEntry entry = get(key);
		return (entry != null) ? entry.findWrite(writeId) : OptionalLong.empty();
	}

	@Override
	public final List<Item> allNewerCommitted(Map<String, Long> versions) {
		Objects.requireNonNull(versions, "versions");
		return collect((entry) -> entry.committed(), versions);
	}

	@Override
	public final List<Item> allNewerDirty(Map<String, Long> versions) {
		Objects.requireNonNull(versions, "versions");
		return collect((entry) -> entry.pending(), versions);
	}

	@Override
	public final List<Item> allDirty() {
		return collect((entry) -> entry.pending(), Map.of());
	}

	@Override
	public final List<Item> allCommitted() {
		return collect((entry) -> entry.committed(), Map.of());
	}

	@Override
	public final ScanPage scan(String afterKey, int limit) {
		if (limit < 1) {
			throw new IllegalArgumentException("a scan page holds at least 1 entry (was " + limit + ")");
		}
		int fetch = (limit == Integer.MAX_VALUE) ? limit : limit + 1;
		List<KeyEntry> entries = locked(() -> entriesAfter(afterKey, fetch));
		if (entries.size() <= limit) {
			return new ScanPage(entries, null);
		}
		List<KeyEntry> page = entries.subList(0, limit);
		return new ScanPage(page, page.get(limit - 1).key());
	}

	@Override
	public final ChainStoreStats stats() {
		return new ChainStoreStats(this.keys.get(), this.dirtyKeys.get());
	}

	@Override
	public final void close() {
		this.open.writeLock().lock();
		try {
			if (this.closed) {
				return;
			}
			this.closed = true;
			closeStorage();
		}
		finally {
			this.open.writeLock().unlock();
		}
	}

	@Override
	public String toString() {
		return this.name;
	}

	private KeyEntry get(String key) {
		Objects.requireNonNull(key, "key");
		return locked(() -> load(key));
	}

	private List<Item> collect(Function<KeyEntry, Item> pick, Map<String, Long> versions) {
		List<Item> items = new ArrayList<>();
		Predicate<Item> newer = (item) -> {
			Long known = versions.get(item.key());
			return known == null || item.version() > known;
		};
		String after = null;
		while (true) {
			String from = after;
			List<KeyEntry> page = locked(() -> entriesAfter(from, PAGE));
			for (KeyEntry entry : page) {
				Item item = pick.apply(entry);
				if (item != null && newer.test(item)) {
					items.add(item);
				}
			}
			if (page.size() < PAGE) {
				return items;
			}
			after = page.get(page.size() - 1).key();
		}
	}

	private <T> T locked(Supplier<T> call) {
		this.open.readLock().lock();
		try {
			if (this.closed) {
				throw new ChainStoreClosedException(this.name + " is closed");
			}
			return call.get();
		}
		finally {
			this.open.readLock().unlock();
		}
	}

	private <T> T mutate(String key, Function<KeyEntry, Change<T>> transition) {
		Applied<T> applied = apply(key, transition);
		awaitDurable(applied.token());
		return applied.outcome();
	}

	private <T> Applied<T> apply(String key, Function<KeyEntry, Change<T>> transition) {
		synchronized (this.stripes[stripe(key)]) {
			KeyEntry before = load(key);
			Change<T> change = transition.apply(before);
			if (!change.changed()) {
				return new Applied<>(change.outcome(), lastToken());
			}
			long token = save(key, change.after());
			count(before, change.after());
			return new Applied<>(change.outcome(), token);
		}
	}

	private static int stripe(String key) {
		int hash = key.hashCode();
		return (hash ^ (hash >>> 16)) & (STRIPES - 1);
	}

	private void count(KeyEntry before, KeyEntry after) {
		this.keys.addAndGet(((after != null) ? 1 : 0) - ((before != null) ? 1 : 0));
		this.dirtyKeys.addAndGet(dirty(after) - dirty(before));
	}

	private static int dirty(KeyEntry entry) {
		return (entry != null && entry.isDirty()) ? 1 : 0;
	}

	private Change<StageOutcome> stageOn(KeyEntry before, Item item) {
		String key = item.key();
		long version = item.version();
		long committed = (before != null) ? before.committedVersion() : 0;
		long pending = (before != null) ? before.pendingVersion() : 0;
		if (version <= committed) {
			if (version < committed) {
				return Change.none(StageOutcome.SUPERSEDED);
			}
			if (before.committed().sameWrite(item)) {
				return Change.none(StageOutcome.ALREADY_COMMITTED);
			}
			throw new ChainVersionException(Reason.CONTENT_CONFLICT, "stage", key, version, committed, pending);
		}
		if (pending != 0) {
			if (version != pending) {
				throw new ChainVersionException(Reason.PENDING_CONFLICT, "stage", key, version, committed, pending);
			}
			if (before.pending().sameWrite(item)) {
				return Change.none(StageOutcome.ALREADY_STAGED);
			}
			throw new ChainVersionException(Reason.CONTENT_CONFLICT, "stage", key, version, committed, pending);
		}
		if (version != committed + 1) {
			throw new ChainVersionException(Reason.GAP, "stage", key, version, committed, pending);
		}
		List<WriteRecord> writes = (before != null) ? before.writes() : List.of();
		OptionalLong recorded = (before != null) ? before.findWrite(item.writeId()) : OptionalLong.empty();
		if (recorded.isPresent()) {
			throw new ChainWriteIdException(key, item.writeId(), version, recorded.getAsLong());
		}
		List<WriteRecord> next = new ArrayList<>(writes.size() + 1);
		next.addAll(writes);
		next.add(new WriteRecord(item.writeId(), version));
		Item kept = (before != null) ? before.committed() : null;
		return Change.to(StageOutcome.STAGED, new KeyEntry(key, kept, item, bounded(next)));
	}

	private static Change<CommitOutcome> commitOn(KeyEntry before, String key, long version) {
		long committed = (before != null) ? before.committedVersion() : 0;
		long pending = (before != null) ? before.pendingVersion() : 0;
		if (version < committed) {
			return Change.none(CommitOutcome.SUPERSEDED);
		}
		if (version == committed) {
			return Change.none(CommitOutcome.ALREADY_COMMITTED);
		}
		if (version != pending) {
			throw new ChainVersionException(Reason.NOT_STAGED, "commit", key, version, committed, pending);
		}
		return Change.to(CommitOutcome.COMMITTED,
				new KeyEntry(key, before.pending().asCommitted(), null, before.writes()));
	}

	private static Change<Boolean> discardOn(KeyEntry before, long version) {
		if (before == null || before.pendingVersion() != version || version < 1) {
			return Change.none(false);
		}
		if (before.committed() == null) {
			return Change.to(true, null);
		}
		List<WriteRecord> writes = new ArrayList<>(before.writes());
		writes.removeIf((write) -> write.version() == version);
		return Change.to(true, new KeyEntry(before.key(), before.committed(), null, writes));
	}

	private Change<Void> installOn(KeyEntry before, KeyEntry entry) {
		String key = entry.key();
		Item committed = (before != null) ? before.committed() : null;
		Item pending = (before != null) ? before.pending() : null;
		long committedBefore = version(committed);
		long pendingBefore = version(pending);
		if (entry.committed() != null) {
			long version = entry.committedVersion();
			if (version > committedBefore) {
				committed = entry.committed();
				if (pending != null && pending.version() <= version) {
					pending = null;
				}
			}
			else if (version == committedBefore && !committed.sameWrite(entry.committed())) {
				throw new ChainVersionException(Reason.CONTENT_CONFLICT, "install", key, version, committedBefore,
						pendingBefore);
			}
		}
		long committedVersion = version(committed);
		if (entry.pending() != null && entry.pendingVersion() > committedVersion) {
			long version = entry.pendingVersion();
			if (pending != null) {
				Reason reason = (pending.version() != version) ? Reason.PENDING_CONFLICT
						: (!pending.sameWrite(entry.pending()) ? Reason.CONTENT_CONFLICT : null);
				if (reason != null) {
					throw new ChainVersionException(reason, "install", key, version, committedBefore, pendingBefore);
				}
			}
			else if (version != committedVersion + 1) {
				throw new ChainVersionException(Reason.GAP, "install", key, version, committedBefore, pendingBefore);
			}
			else {
				pending = entry.pending();
			}
		}
		long top = Math.max(version(committed), version(pending));
		TreeMap<Long, String> merged = new TreeMap<>();
		if (before != null) {
			before.writes().forEach((write) -> merged.put(write.version(), write.writeId()));
		}
		entry.writes().forEach((write) -> merged.put(write.version(), write.writeId()));
		for (Item item : new Item[] { committed, pending }) {
			if (item != null) {
				merged.put(item.version(), item.writeId());
			}
		}
		List<WriteRecord> writes = new ArrayList<>();
		merged.headMap(top, true).forEach((version, writeId) -> writes.add(new WriteRecord(writeId, version)));
		KeyEntry after = new KeyEntry(key, committed, pending, bounded(writes));
		return after.equals(before) ? Change.none(null) : Change.to(null, after);
	}

	private static long version(Item item) {
		return (item != null) ? item.version() : 0;
	}

	private List<WriteRecord> bounded(List<WriteRecord> writes) {
		int excess = writes.size() - this.options.writeIdsPerKey();
		return (excess > 0) ? writes.subList(excess, writes.size()) : writes;
	}

	private void checkKey(String key) {
		Objects.requireNonNull(key, "key");
		int bytes = utf8Length(key);
		if (bytes == 0 || bytes > this.options.maxKeyBytes()) {
			throw new ChainLimitException("key", bytes, this.options.maxKeyBytes(), key);
		}
	}

	private void checkWriteId(String key, String writeId) {
		Objects.requireNonNull(writeId, "writeId");
		int bytes = utf8Length(writeId);
		if (bytes == 0 || bytes > this.options.maxWriteIdBytes()) {
			throw new ChainLimitException("write id", bytes, this.options.maxWriteIdBytes(), key);
		}
	}

	private void checkEntry(KeyEntry entry) {
		Objects.requireNonNull(entry, "entry");
		checkKey(entry.key());
		for (Item item : entry.items()) {
			if (item.valueLength() > this.options.maxValueBytes()) {
				throw new ChainLimitException("value", item.valueLength(), this.options.maxValueBytes(), item.key());
			}
			checkWriteId(item.key(), item.writeId());
		}
		entry.writes().forEach((write) -> checkWriteId(entry.key(), write.writeId()));
	}

	private static void checkVersion(String operation, String key, long version) {
		if (version < 1) {
			throw new ChainVersionException(Reason.INVALID_VERSION, operation, key, version, 0, 0);
		}
	}

	/**
	 * The length of a string in UTF-8 (an unpaired surrogate counts as 3 bytes).
	 * @param text the string
	 * @return bytes
	 */
	static int utf8Length(String text) {
		int bytes = 0;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c < 0x80) {
				bytes++;
			}
			else if (c < 0x800) {
				bytes += 2;
			}
			else if (Character.isHighSurrogate(c) && i + 1 < text.length()
					&& Character.isLowSurrogate(text.charAt(i + 1))) {
				bytes += 4;
				i++;
			}
			else {
				bytes += 3;
			}
		}
		return bytes;
	}

	private record Change<T>(T outcome, KeyEntry after, boolean changed) {

		static <T> Change<T> none(T outcome) {
			return new Change<>(outcome, null, false);
		}

		static <T> Change<T> to(T outcome, KeyEntry after) {
			return new Change<>(outcome, after, true);
		}

	}

	private record Applied<T>(T outcome, long token) {

	}

}
