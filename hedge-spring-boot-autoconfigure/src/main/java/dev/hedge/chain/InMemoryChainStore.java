package dev.hedge.chain;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A {@link ChainStore} in this process's heap, for tests and for chains whose members rebuild their data from the
 * chain after a restart.
 *
 * <p><b>Threading:</b> thread-safe; every call is atomic per key (entries are immutable and replaced whole in a
 * {@link ConcurrentSkipListMap}, so reads take no per-key lock); mutations of a key are serialized by lock stripes,
 * different keys proceed in parallel. Scans are weakly consistent across keys.
 *
 * <p><b>Durability:</b> none ({@link #isDurable()} is {@code false}): a mutation is complete when it returns, and
 * everything is lost when the process ends or the store is closed.
 */
public final class InMemoryChainStore extends AbstractChainStore {

	private final ConcurrentSkipListMap<String, KeyEntry> entries = new ConcurrentSkipListMap<>();

	/** Creates an empty store with {@link ChainStoreOptions#DEFAULTS}. */
	public InMemoryChainStore() {
		this(ChainStoreOptions.DEFAULTS);
	}

	/**
	 * Creates an empty store.
	 * @param options its limits
	 */
	public InMemoryChainStore(ChainStoreOptions options) {
		super("in-memory chain store", options);
	}

	@Override
	public boolean isDurable() {
		return false;
	}

	@Override
	protected KeyEntry load(String key) {
		return this.entries.get(key);
	}

	@Override
	protected long save(String key, KeyEntry entry) {
		if (entry == null) {
			this.entries.remove(key);
		}
		else {
			this.entries.put(key, entry);
		}
		return 0;
	}

	@Override
	protected long lastToken() {
		return 0;
	}

	@Override
	protected void awaitDurable(long token) {
	}

	@Override
	protected List<KeyEntry> entriesAfter(String afterKey, int limit) {
		NavigableMap<String, KeyEntry> tail = (afterKey != null) ? this.entries.tailMap(afterKey, false)
				: this.entries;
		List<KeyEntry> page = new ArrayList<>(Math.min(limit, 1024));
		for (KeyEntry entry : tail.values()) {
			if (page.size() == limit) {
				break;
			}
			page.add(entry);
		}
		return page;
	}

	@Override
	protected void closeStorage() {
		this.entries.clear();
	}

}
