package dev.hedge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import com.google.cloud.spanner.DatabaseId;
import com.google.cloud.spanner.Spanner;

import dev.hedge.election.LeaseStore;
import dev.hedge.kv.LogStore;
import dev.hedge.semaphore.SemaphoreStore;
import dev.hedge.store.HedgeStore;
import dev.hedge.store.StoreKind;
import dev.hedge.store.TableNames;
import dev.hedge.store.jdbc.JdbcHedgeStore;
import dev.hedge.store.spanner.SpannerHedgeStore;
import dev.hedge.testsupport.PostgresServer;
import dev.hedge.testsupport.PostgresTestDatabase;
import dev.hedge.testsupport.SpannerEmulator;

/**
 * The backends a benchmark runs on: embedded always, Spanner when an emulator is available, PostgreSQL when its
 * binaries are installed (a private server with production durability: fsync and synchronous commit on) or, without
 * them, when {@code HEDGE_TEST_POSTGRES_URL} names a server. {@code stores=embedded,postgres} picks some.
 */
final class BenchStores {

	private static PostgresServer postgres;

	private BenchStores() {
	}

	static Map<String, Supplier<HedgeStore>> available() {
		return available(Args.parse(new String[0]));
	}

	static Map<String, Supplier<HedgeStore>> available(Args args) {
		List<String> wanted = Arrays.asList(args.string("stores", "embedded,spanner-emulator,postgres").split(","));
		Map<String, Supplier<HedgeStore>> stores = new LinkedHashMap<>();
		if (wanted.contains("embedded")) {
			stores.put("embedded", () -> {
				try {
					return JdbcHedgeStore.embedded(Files.createTempDirectory("hedge-bench-"), true);
				}
				catch (IOException ex) {
					throw new IllegalStateException(ex);
				}
			});
		}
		Optional<SpannerEmulator> emulator = wanted.contains("spanner-emulator") ? SpannerEmulator.shared()
				: Optional.empty();
		if (emulator.isPresent()) {
			stores.put("spanner-emulator", () -> {
				DatabaseId id = emulator.get().createDatabase("bench");
				Spanner spanner = emulator.get().spanner();
				return SpannerHedgeStore.open(spanner.getDatabaseClient(id), spanner.getDatabaseAdminClient(), id,
						TableNames.defaults(), true);
			});
		}
		else if (wanted.contains("spanner-emulator")) {
			System.out.println("(Spanner emulator not available: " + SpannerEmulator.unavailableReason() + ")");
		}
		Optional<PostgresServer> server = wanted.contains("postgres") ? postgres() : Optional.empty();
		if (server.isPresent()) {
			stores.put("postgres", () -> {
				PostgresTestDatabase database = PostgresTestDatabase.create(server.get(), "bench");
				try {
					return new OwningStore(JdbcHedgeStore.open(database.dataSource(), TableNames.defaults(), true,
							JdbcHedgeStore.Properties.JDBC), database);
				}
				catch (RuntimeException ex) {
					database.close();
					throw ex;
				}
			});
		}
		else if (wanted.contains("postgres")) {
			System.out.println("(PostgreSQL not available: " + PostgresServer.unavailableReason() + ")");
		}
		return stores;
	}

	/** A private durable server (stopped when this JVM exits), else the one the environment names. */
	private static synchronized Optional<PostgresServer> postgres() {
		if (postgres == null && PostgresServer.binariesAvailable()) {
			postgres = PostgresServer.startPrivate(true);
			System.out.println("(PostgreSQL: a private server on port " + postgres.port()
					+ ", fsync and synchronous_commit on)");
		}
		return (postgres != null) ? Optional.of(postgres) : PostgresServer.shared();
	}

	static Path tempDir() throws IOException {
		return Files.createTempDirectory("hedge-bench-");
	}

	/** A store on a benchmark's own database, dropped (with its pool) when the store closes. */
	private static final class OwningStore implements HedgeStore {

		private final HedgeStore delegate;

		private final PostgresTestDatabase database;

		OwningStore(HedgeStore delegate, PostgresTestDatabase database) {
			this.delegate = delegate;
			this.database = database;
		}

		@Override
		public StoreKind kind() {
			return this.delegate.kind();
		}

		@Override
		public LeaseStore leases() {
			return this.delegate.leases();
		}

		@Override
		public LogStore log() {
			return this.delegate.log();
		}

		@Override
		public SemaphoreStore semaphores() {
			return this.delegate.semaphores();
		}

		@Override
		public void close() {
			this.delegate.close();
			this.database.close();
		}

	}

}
