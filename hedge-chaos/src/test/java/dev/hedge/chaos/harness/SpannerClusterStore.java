package dev.hedge.chaos.harness;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.google.cloud.spanner.DatabaseId;

import dev.hedge.chaos.check.PermitSnapshots;
import dev.hedge.chaos.member.StoreSpec;
import dev.hedge.kv.LogEntry;
import dev.hedge.kv.LogQuery;
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
final class SpannerClusterStore implements ClusterStore {

	private final SpannerEmulator emulator;

	private final DatabaseId database;

	private final HedgeStore store;

	private final Map<String, SpannerPermitSnapshots> snapshots = new LinkedHashMap<>();

	private boolean paused;

	private SpannerClusterStore(SpannerEmulator emulator, DatabaseId database, HedgeStore store) {
		this.emulator = emulator;
		this.database = database;
		this.store = store;
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

	@Override
	public Map<String, List<String>> finalRead(List<Member> live, String prefix, int keys) {
		Map<String, List<String>> read = new LinkedHashMap<>();
		for (int k = 0; k < keys; k++) {
			String key = prefix + String.format("k%02d", k);
			List<LogEntry> entries = this.store.log().read(key, LogQuery.all(), Duration.ofSeconds(10));
			read.put(key, entries.stream().map(LogEntry::value).toList());
		}
		return read;
	}

	SpannerEmulator emulator() {
		return this.emulator;
	}

	HedgeStore store() {
		return this.store;
	}

	boolean paused() {
		return this.paused;
	}

	void pause() {
		this.emulator.pause();
		this.paused = true;
	}

	void resume() {
		this.emulator.resume();
		this.paused = false;
	}

	@Override
	public void close() {
		if (this.paused) {
			resume();
		}
		this.snapshots.values().forEach(SpannerPermitSnapshots::close);
		this.store.close();
		this.emulator.close();
	}

}
