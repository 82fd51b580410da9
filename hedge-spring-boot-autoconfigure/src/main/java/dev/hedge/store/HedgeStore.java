package dev.hedge.store;

import java.util.Optional;

import dev.hedge.chain.ChainConfigStore;
import dev.hedge.election.LeaseStore;
import dev.hedge.kv.LogStore;
import dev.hedge.replicator.ReplicaSnapshotStore;
import dev.hedge.semaphore.SemaphoreStore;

/**
 * One storage backend, implementing every storage SPI over one database: Cloud Spanner
 * ({@link dev.hedge.store.spanner.SpannerHedgeStore}) or the embedded database
 * ({@link dev.hedge.store.jdbc.JdbcHedgeStore}). All SQL lives in the adapters. Thread-safe.
 */
public interface HedgeStore extends AutoCloseable {

	/**
	 * Which backend this is.
	 * @return the kind
	 */
	StoreKind kind();

	/**
	 * The lease SPI.
	 * @return the lease store
	 */
	LeaseStore leases();

	/**
	 * The log SPI.
	 * @return the log store
	 */
	LogStore log();

	/**
	 * The semaphore SPI.
	 * @return the semaphore store
	 */
	SemaphoreStore semaphores();

	/**
	 * The replicated data's SPI: durable replicas and pruning records.
	 * @return the store, or empty for a backend that keeps no replicated data
	 */
	default Optional<ReplicaSnapshotStore> replicaSnapshots() {
		return Optional.empty();
	}

	/**
	 * The chain configuration SPI. Spanner and the JDBC stores implement it; the default fails every call.
	 * @return the chain configuration store
	 */
	default ChainConfigStore chainConfigs() {
		return ChainConfigStore.unsupported(kind().id() + " store");
	}

	/** Releases what the adapter owns (connection pools it created; never a client it was given). */
	@Override
	void close();

}
