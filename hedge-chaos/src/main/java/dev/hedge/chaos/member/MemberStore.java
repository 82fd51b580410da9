package dev.hedge.chaos.member;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

import com.google.cloud.NoCredentials;
import com.google.cloud.spanner.DatabaseId;
import com.google.cloud.spanner.SessionPoolOptions;
import com.google.cloud.spanner.Spanner;
import com.google.cloud.spanner.SpannerOptions;

import dev.hedge.store.HedgeStore;
import dev.hedge.store.TableNames;
import dev.hedge.store.jdbc.JdbcHedgeStore;
import dev.hedge.store.spanner.SpannerHedgeStore;
import dev.hedge.testsupport.SpannerEmulator;

/**
 * The store of one member process, opened as its {@link StoreSpec} says, with what goes with it: the Spanner client
 * to close after the node, and whether this process serves the embedded database file to the others.
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

	private final Spanner spanner;

	private MemberStore(StoreSpec spec, HedgeStore store, Spanner spanner) {
		this.spec = spec;
		this.store = store;
		this.spanner = spanner;
	}

	/**
	 * Opens the store, retrying for up to 30 s.
	 * @param spec which store
	 * @param db host:port of the emulator or its proxy (Spanner only)
	 * @param database the database name (Spanner only)
	 * @return the opened store
	 * @throws InterruptedException if interrupted while retrying
	 */
	static MemberStore open(StoreSpec spec, String db, String database) throws InterruptedException {
		return switch (spec.kind()) {
			case SPANNER -> spanner(spec, db, database);
			case EMBEDDED -> new MemberStore(spec,
					retrying(() -> JdbcHedgeStore.embedded(Path.of(spec.location()), true)), null);
			// a server database (PostgreSQL) is opened here on a DataSource for the url, with
			// JdbcHedgeStore.open(dataSource, TableNames.defaults(), true), once the harness can start one
			case JDBC -> throw new IllegalArgumentException(StoreSpec.PROPERTY + "=" + spec.text()
					+ ": JDBC server databases are not wired into the chaos members yet");
		};
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
	 * Closes what the node does not: the Spanner client, waiting at most 5 s (its close waits for session deletes
	 * without a bound, for ever when the emulator is gone). The node closes the store itself.
	 */
	@Override
	public void close() {
		if (this.spanner == null) {
			return;
		}
		Thread closing = new Thread(this.spanner::close, "chaos-spanner-close");
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
