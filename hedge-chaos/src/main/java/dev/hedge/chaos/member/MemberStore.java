package dev.hedge.chaos.member;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.function.Supplier;

import com.google.cloud.NoCredentials;
import com.google.cloud.spanner.DatabaseId;
import com.google.cloud.spanner.SessionPoolOptions;
import com.google.cloud.spanner.Spanner;
import com.google.cloud.spanner.SpannerOptions;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import dev.hedge.store.HedgeStore;
import dev.hedge.store.TableNames;
import dev.hedge.store.jdbc.JdbcHedgeStore;
import dev.hedge.store.spanner.SpannerHedgeStore;
import dev.hedge.testsupport.SpannerEmulator;

/**
 * The store of one member process, opened as its {@link StoreSpec} says, with what goes with it: the Spanner client
 * or the JDBC connection pool to close after the node, and whether this process serves the embedded database file to
 * the others.
 *
 * <p>Thread-safe: immutable after {@link #open}; {@link #close()} is called once, by the shutdown hook.
 */
final class MemberStore implements AutoCloseable {

	/** How long opening the store is retried while other members boot or take the database over. */
	private static final Duration OPEN_PATIENCE = Duration.ofSeconds(30);

	/** The name of H2's TCP server thread; with {@code AUTO_SERVER} it runs in the process serving the file. */
	private static final String H2_SERVER_THREAD = "H2 TCP Server";

	private final StoreSpec spec;

	private final HedgeStore store;

	/** What the node does not close: the Spanner client or the JDBC pool; {@code null} for the embedded store. */
	private final AutoCloseable client;

	private MemberStore(StoreSpec spec, HedgeStore store, AutoCloseable client) {
		this.spec = spec;
		this.store = store;
		this.client = client;
	}

	/**
	 * Opens the store, retrying for up to 30 s.
	 * @param spec which store
	 * @param db host:port of the database link: the emulator's proxy (Spanner) or the database server's (JDBC, whose
	 * url's host and port it replaces); {@code null} to connect to a JDBC url as it is
	 * @param database the database name (Spanner only)
	 * @return the opened store
	 * @throws InterruptedException if interrupted while retrying
	 */
	static MemberStore open(StoreSpec spec, String db, String database) throws InterruptedException {
		return switch (spec.kind()) {
			case SPANNER -> spanner(spec, db, database);
			case EMBEDDED -> new MemberStore(spec,
					retrying(() -> JdbcHedgeStore.embedded(Path.of(spec.location()), true)), null);
			case JDBC -> jdbc(spec, db);
		};
	}

	/**
	 * A server database (PostgreSQL) on a HikariCP pool of the url (through the link), as the role and password of
	 * {@value StoreSpec#JDBC_USER} and {@value StoreSpec#JDBC_PASSWORD}. The harness creates the tables: a member
	 * expects them, as an application whose DBA created them does.
	 */
	private static MemberStore jdbc(StoreSpec spec, String db) throws InterruptedException {
		HikariDataSource pool = new HikariDataSource(poolConfig(spec, db, System.getProperties()));
		try {
			HedgeStore store = retrying(() -> JdbcHedgeStore.open(pool, TableNames.defaults(), false,
					JdbcHedgeStore.Properties.JDBC));
			return new MemberStore(spec, store, pool);
		}
		catch (InterruptedException | RuntimeException ex) {
			pool.close();
			throw ex;
		}
	}

	/**
	 * The pool of a member's JDBC store: the url through the link, the role and password from the properties, at most
	 * 10 connections (the lease calls keep one), a wait for a connection bounded by the store timeout, and no
	 * connection made at start (opening the store is retried instead).
	 * @param spec a {@link StoreSpec.Kind#JDBC} store
	 * @param db host:port of the database link, or {@code null}
	 * @param properties where {@value StoreSpec#JDBC_USER} and {@value StoreSpec#JDBC_PASSWORD} are read
	 * @return the pool's configuration
	 */
	static HikariConfig poolConfig(StoreSpec spec, String db, Properties properties) {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(spec.jdbcUrl(db));
		config.setUsername(properties.getProperty(StoreSpec.JDBC_USER));
		config.setPassword(properties.getProperty(StoreSpec.JDBC_PASSWORD));
		config.setMaximumPoolSize(10);
		config.setMinimumIdle(2);
		config.setConnectionTimeout(MemberMain.ELECTION.storeTimeout().toMillis());
		config.setValidationTimeout(1_000);
		config.setInitializationFailTimeout(-1);
		config.setPoolName("chaos-jdbc");
		// a connection attempt to a database that does not answer (a blackholed link, a stalled server: the proxy
		// accepts, the handshake hangs) gives up in time
		config.addDataSourceProperty("connectTimeout", "2");
		config.addDataSourceProperty("loginTimeout", "3");
		return config;
	}

	private static MemberStore spanner(StoreSpec spec, String db, String database) throws InterruptedException {
		// a smaller session pool: the default (100 sessions created at start) makes every member start a burst of
		// emulator work that delays the leader's renewals on a 2-core machine. Waiting for a session is bounded by
		// the store timeout: the gRPC deadline hedge puts on each store call does not bound a session checkout
		// (the client's default waits up to 60 s), which let a tryAcquire(2 s) on a leader whose database link was
		// reset take 12 s
		Spanner spanner = SpannerOptions.newBuilder()
			.setProjectId(SpannerEmulator.PROJECT)
			.setEmulatorHost(db)
			.setCredentials(NoCredentials.getInstance())
			.setSessionPoolOption(SessionPoolOptions.newBuilder()
				.setMinSessions(25)
				.setMaxSessions(100)
				.setAcquireSessionTimeoutDuration(MemberMain.ELECTION.storeTimeout())
				.build())
			.build()
			.getService();
		DatabaseId id = DatabaseId.of(SpannerEmulator.PROJECT, SpannerEmulator.INSTANCE, database);
		// while five members boot at once on two cores the emulator can take longer than the pool's checkout bound
		// (the store timeout) to create the first sessions
		HedgeStore store = retrying(() -> SpannerHedgeStore.open(spanner.getDatabaseClient(id),
				spanner.getDatabaseAdminClient(), id, TableNames.defaults(), false));
		return new MemberStore(spec, store, spanner);
	}

	private static HedgeStore retrying(Supplier<HedgeStore> open) throws InterruptedException {
		long end = System.nanoTime() + OPEN_PATIENCE.toNanos();
		while (true) {
			try {
				return open.get();
			}
			catch (RuntimeException ex) {
				if (System.nanoTime() - end >= 0) {
					throw ex;
				}
				System.err.println("opening the store failed, retrying: " + ex);
				Thread.sleep(500);
			}
		}
	}

	StoreSpec spec() {
		return this.spec;
	}

	HedgeStore store() {
		return this.store;
	}

	/**
	 * Whether this process serves the embedded database file to the other processes ({@code AUTO_SERVER}: the first
	 * opener does, another takes over when it exits). Always false for other stores.
	 * @return whether H2's TCP server thread runs in this process
	 */
	boolean servesDatabase() {
		if (this.spec.kind() != StoreSpec.Kind.EMBEDDED) {
			return false;
		}
		ThreadGroup root = Thread.currentThread().getThreadGroup();
		while (root.getParent() != null) {
			root = root.getParent();
		}
		Thread[] threads = new Thread[root.activeCount() + 16];
		int count = root.enumerate(threads, true);
		for (int i = 0; i < count; i++) {
			if (threads[i].getName().startsWith(H2_SERVER_THREAD)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Closes what the node does not: the Spanner client or the JDBC pool, waiting at most 5 s (the Spanner client's
	 * close waits for session deletes without a bound, for ever when the emulator is gone; the pool's for connections
	 * still in use). The node closes the store itself.
	 */
	@Override
	public void close() {
		AutoCloseable client = this.client;
		if (client == null) {
			return;
		}
		Thread closing = new Thread(() -> {
			try {
				client.close();
			}
			catch (Exception ex) {
				System.err.println("closing the store's client failed: " + ex);
			}
		}, "chaos-store-close");
		closing.setDaemon(true);
		closing.start();
		try {
			closing.join(5_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
