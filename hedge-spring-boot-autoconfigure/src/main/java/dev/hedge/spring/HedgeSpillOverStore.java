package dev.hedge.spring;

import dev.hedge.Hedge;
import dev.hedge.sos.SpillOverStats;
import dev.hedge.sos.SpillOverStore;

/**
 * The spill-over store for Spring applications: {@link #open(String)} a named store, write records (they fill this
 * member's off-heap memory, then its memory-mapped files, then other members), read them back in order, delete or
 * close. Limits come from {@code hedge.sos.*}. Thread-safe; usable once the application has started. Created only
 * when Apache Arrow is on the classpath.
 */
public class HedgeSpillOverStore {

	private final Hedge hedge;

	/**
	 * Creates the bean.
	 * @param hedge the hedge node
	 */
	public HedgeSpillOverStore(Hedge hedge) {
		this.hedge = hedge;
	}

	/**
	 * Opens (creating when needed) a named store; close the handle when done.
	 * @param name the store's name
	 * @return the handle
	 */
	public SpillOverStore open(String name) {
		return this.hedge.spillOver().store(name);
	}

	/**
	 * What this member holds and uses.
	 * @return the statistics
	 */
	public SpillOverStats stats() {
		return this.hedge.spillOver().stats();
	}

	/**
	 * The largest record a store accepts.
	 * @return the size in bytes
	 */
	public int maxRecordBytes() {
		return this.hedge.spillOver().maxRecordBytes();
	}

}
