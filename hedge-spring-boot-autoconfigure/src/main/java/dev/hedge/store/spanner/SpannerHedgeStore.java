package dev.hedge.store.spanner;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import com.google.cloud.spanner.DatabaseAdminClient;
import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.DatabaseId;

import dev.hedge.chain.ChainConfigStore;
import dev.hedge.election.LeaseStore;
import dev.hedge.kv.LogStore;
import dev.hedge.replicator.ReplicaSnapshotStore;
import dev.hedge.semaphore.SemaphoreStore;
import dev.hedge.store.HedgeStore;
import dev.hedge.store.StoreKind;
import dev.hedge.store.TableNames;

/**
 * The Cloud Spanner backend. Uses a {@link DatabaseClient} it is given (with Spring, the one spring-cloud-gcp
 * configures) and never closes it. Every call carries a deadline; every read-write path re-runs its whole callback
 * (conditions included) when Spanner, or the single-transaction emulator, aborts it: the lease's through
 * {@link PromptTransaction} (re-run within milliseconds, since its latency bounds failover and hand-over), the
 * others through {@code readWriteTransaction().run} (the client's back-off). Thread-safe.
 */
public final class SpannerHedgeStore implements HedgeStore {

	private final SpannerCalls calls = new SpannerCalls();

	/** The lease calls' own threads: a full general pool (slow application reads) never delays a renewal. */
	private final SpannerCalls leaseCalls = new SpannerCalls("spanner-lease", SpannerCalls.MAX_LEASE_WORKERS);

	private final SpannerLeaseStore leases;

	private final SpannerLogStore log;

	private final SpannerSemaphoreStore semaphores;

	private final SpannerReplicaSnapshotStore snapshots;

	private final SpannerChainConfigStore chainConfigs;

	private SpannerHedgeStore(DatabaseClient client, TableNames tables, boolean indexed, boolean crdt) {
		this.leases = new SpannerLeaseStore(client, this.leaseCalls, tables.lockTable());
		this.log = new SpannerLogStore(client, this.calls, tables.lockTable(), tables.logTable(),
				indexed ? SpannerSchema.indexName(tables) : null);
		this.semaphores = new SpannerSemaphoreStore(client, this.calls, tables.lockTable(), tables.logTable());
		this.snapshots = crdt ? new SpannerReplicaSnapshotStore(client, this.calls, tables.crdtTable()) : null;
		this.chainConfigs = new SpannerChainConfigStore(client, this.calls, tables.lockTable(), tables.chainTable());
	}

	/**
	 * Opens the store: validates the table names, checks the tables (creating missing ones when
	 * {@code initializeSchema}), and fails naming the property at fault otherwise.
	 * @param client data client of the database
	 * @param admin admin client, used only to create missing tables
	 * @param database the database
	 * @param tables table names ({@code hedge.spanner.lock-table}, {@code hedge.spanner.log-table})
	 * @param initializeSchema whether to create missing tables ({@code hedge.spanner.initialize-schema})
	 * @return the store
	 */
	public static SpannerHedgeStore open(DatabaseClient client, DatabaseAdminClient admin, DatabaseId database,
			TableNames tables, boolean initializeSchema) {
		Objects.requireNonNull(client, "client");
		tables.validate("hedge.spanner.lock-table", "hedge.spanner.log-table");
		SpannerSchema.Prepared schema = SpannerSchema.prepare(client, admin, database, tables, initializeSchema,
				Duration.ofSeconds(60));
		return new SpannerHedgeStore(client, tables, schema.indexed(), schema.crdt());
	}

	/** The general call runner (log and semaphore calls), for tests that fill it. */
	SpannerCalls generalCalls() {
		return this.calls;
	}

	@Override
	public StoreKind kind() {
		return StoreKind.SPANNER;
	}

	@Override
	public LeaseStore leases() {
		return this.leases;
	}

	@Override
	public LogStore log() {
		return this.log;
	}

	@Override
	public SemaphoreStore semaphores() {
		return this.semaphores;
	}

	@Override
	public Optional<ReplicaSnapshotStore> replicaSnapshots() {
		return Optional.ofNullable(this.snapshots);
	}

	@Override
	public ChainConfigStore chainConfigs() {
		return this.chainConfigs;
	}

	@Override
	public void close() {
		this.leaseCalls.close();
		this.calls.close();
	}

}
