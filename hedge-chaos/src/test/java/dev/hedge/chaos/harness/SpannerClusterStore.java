package dev.hedge.chaos.harness;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.google.cloud.spanner.DatabaseId;

import dev.hedge.chaos.check.PermitSnapshots;
import dev.hedge.chaos.member.StoreSpec;
import dev.hedge.store.HedgeStore;
import dev.hedge.store.TableNames;
import dev.hedge.store.spanner.SpannerHedgeStore;
import dev.hedge.testsupport.SpannerEmulator;

/**
 * The Spanner backend of a chaos cluster: a private emulator (which scenarios pause), one database, the harness's own
 * store (direct to the emulator) for final reads, and exact-timestamp snapshots of the permit rows per group.
 *
 * <p>Driven by the harness thread; the snapshots are thread-safe.
 */
final class SpannerClusterStore extends ServerClusterStore {

	private final SpannerEmulator emulator;

	private final DatabaseId database;

	private final Map<String, SpannerPermitSnapshots> snapshots = new LinkedHashMap<>();

	private SpannerClusterStore(SpannerEmulator emulator, DatabaseId database, HedgeStore store) {
		super(store);
		this.emulator = emulator;
		this.database = database;
	}

	/** Starts a private emulator with the database {@code chaos} and its schema. */
	static SpannerClusterStore start() {
		SpannerEmulator emulator = SpannerEmulator.startPrivate();
		try {
			DatabaseId database = emulator.createDatabase("chaos");
			HedgeStore store = SpannerHedgeStore.open(emulator.spanner().getDatabaseClient(database),
					emulator.spanner().getDatabaseAdminClient(), database, TableNames.defaults(), true);
			return new SpannerClusterStore(emulator, database, store);
		}
		catch (RuntimeException ex) {
			emulator.close();
			throw ex;
		}
	}

	@Override
	public StoreSpec spec() {
		return StoreSpec.spanner();
	}

	@Override
	public Optional<String> databaseHost() {
		return Optional.of(this.emulator.host());
	}

	@Override
	public Optional<String> databaseName() {
		return Optional.of(this.database.getDatabase());
	}

	@Override
	public PermitSnapshots snapshots(String group) {
		return this.snapshots.computeIfAbsent(group, (g) -> new SpannerPermitSnapshots(
				this.emulator.spanner().getDatabaseClient(this.database), TableNames.defaults().logTable(), g));
	}

	@Override
	public Optional<String> snapshotsUnavailable() {
		return Optional.empty();
	}

	SpannerEmulator emulator() {
		return this.emulator;
	}

	@Override
	void suspendServer() {
		this.emulator.pause();
	}

	@Override
	void continueServer() {
		this.emulator.resume();
	}

	@Override
	public void close() {
		heal();
		this.snapshots.values().forEach(SpannerPermitSnapshots::close);
		store().close();
		this.emulator.close();
	}

}
