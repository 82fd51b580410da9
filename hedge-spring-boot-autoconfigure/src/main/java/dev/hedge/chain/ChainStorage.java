package dev.hedge.chain;

import java.util.UUID;

/**
 * Where a member keeps its chain data ({@code hedge.chain.directory}): opens the member's {@link ChainStore} with the
 * incarnation of its contents, and empties it when the member joins a chain as a new member. Called by the member's
 * chain on its own threads, one call at a time.
 */
public interface ChainStorage {

	/**
	 * Opens the store.
	 * @return the store and the incarnation of its contents: new for a new (or in-memory) store, the same across
	 * restarts for a durable store whose data survived
	 */
	Opened open();

	/**
	 * Replaces a store opened here with an empty one, keeping the incarnation: a member that joins a chain as a new
	 * member copies everything from the chain and must not keep data of an earlier life.
	 * @param current the open store (closed by this call)
	 * @return the empty store
	 */
	ChainStore wipe(ChainStore current);

	/**
	 * A short description for logs and the actuator endpoint.
	 * @return e.g. {@code memory} or {@code file /data/chain.mv.db}
	 */
	String describe();

	/**
	 * In-memory storage: every start is a new incarnation, and the data of a member is lost with its process (when
	 * every chain member is lost at once, every write is).
	 * @param options the store's limits
	 * @return the storage
	 */
	static ChainStorage inMemory(ChainStoreOptions options) {
		return new ChainStorage() {
			@Override
			public Opened open() {
				return new Opened(new InMemoryChainStore(options), UUID.randomUUID().toString());
			}

			@Override
			public ChainStore wipe(ChainStore current) {
				current.close();
				return new InMemoryChainStore(options);
			}

			@Override
			public String describe() {
				return "memory";
			}
		};
	}

	/**
	 * An opened store.
	 *
	 * @param store the store
	 * @param incarnation the incarnation of its contents (no whitespace)
	 */
	record Opened(ChainStore store, String incarnation) {

	}

}
