package dev.hedge.store.jdbc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.h2.api.ErrorCode;
import org.h2.jdbcx.JdbcConnectionPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hedge.chain.ChainConfigStore;
import dev.hedge.common.HedgeConfigurationException;
import dev.hedge.common.StoreException;
import dev.hedge.election.LeaseStore;
import dev.hedge.kv.LogStore;
import dev.hedge.replicator.ReplicaSnapshotStore;
import dev.hedge.semaphore.SemaphoreStore;
import dev.hedge.store.HedgeStore;
import dev.hedge.store.SchemaScript;
import dev.hedge.store.StoreKind;
import dev.hedge.store.TableNames;

/**
 * The JDBC backend: the embedded store (H2 in file mode with {@code AUTO_SERVER}, so every process on the machine
 * that opens the same directory shares one database: the first opener serves it, another takes over when it exits)
 * and any data source of a supported database ({@link JdbcDialect}: H2, PostgreSQL), such as the application's pool.
 * The SQL is portable; what differs (the database clock, retryable error states, the DDL) is the dialect's. Every
 * transaction runs at READ COMMITTED and serialises on the group's lease row ({@link JdbcFence},
 * {@link JdbcLeaseStore}). Lease calls keep one connection of the data source for themselves, so application traffic
 * that exhausts the pool never delays a renewal. Thread-safe; every call is bounded by its deadline.
 */
public final class JdbcHedgeStore implements HedgeStore {

	private static final Logger logger = LoggerFactory.getLogger(JdbcHedgeStore.class);

	private final JdbcConnectionPool ownedPool;

	private final JdbcDialect dialect;

	private final JdbcCalls leaseCalls;

	private final JdbcCalls calls;

	private final JdbcLeaseStore leases;

	private final JdbcLogStore log;

	private final JdbcSemaphoreStore semaphores;

	private final JdbcReplicaSnapshotStore snapshots;

	private final JdbcChainConfigStore chainConfigs;

	private JdbcHedgeStore(DataSource dataSource, JdbcConnectionPool ownedPool, JdbcDialect dialect,
			TableNames tables, boolean crdt) {
		this.ownedPool = ownedPool;
		this.dialect = dialect;
		this.leaseCalls = JdbcCalls.dedicated(dataSource, dialect, label(dialect, ownedPool));
		this.calls = JdbcCalls.pooled(dataSource, dialect, label(dialect, ownedPool));
		this.leases = new JdbcLeaseStore(this.leaseCalls, tables.lockTable());
		this.log = new JdbcLogStore(this.calls, tables.lockTable(), tables.logTable());
		this.semaphores = new JdbcSemaphoreStore(this.calls, tables.lockTable(), tables.logTable());
		this.snapshots = crdt ? new JdbcReplicaSnapshotStore(this.calls, tables.crdtTable()) : null;
		this.chainConfigs = new JdbcChainConfigStore(this.calls, tables.lockTable(), tables.chainTable());
	}

	private static String label(JdbcDialect dialect, JdbcConnectionPool owned) {
		return (owned != null) ? "embedded store" : dialect.id() + " store";
	}

	/**
	 * Opens (creating when needed) the embedded database in {@code directory} ({@code hedge.embedded.path}).
	 * @param directory where the database files live
	 * @param initializeSchema whether to create missing tables ({@code hedge.embedded.initialize-schema})
	 * @return the store
	 */
	public static JdbcHedgeStore embedded(Path directory, boolean initializeSchema) {
		Path absolute = directory.toAbsolutePath().normalize();
		try {
			// H2 creates a missing directory by check-then-create and fails when another process starting at the
			// same moment creates it in between; createDirectories tolerates that
			Files.createDirectories(absolute);
		}
		catch (IOException ex) {
			throw new HedgeConfigurationException("hedge.embedded.path",
					"cannot create the directory " + absolute + ": " + ex);
		}
		// WRITE_DELAY=0: a commit reaches the file before it is acknowledged, so killing the process that serves
		// the database (SIGKILL, OOM) loses no acknowledged write; H2's default buffers commits for 500 ms.
		// retry: a file channel closed because the thread using it was interrupted (a caller's cancelled task) is
		// re-opened and the operation retried; without it H2 closes the database for every connection.
		String url = "jdbc:h2:retry:file:" + absolute.resolve("hedge") + ";AUTO_SERVER=TRUE"
				+ ";LOCK_TIMEOUT=2000;WRITE_DELAY=0";
		JdbcConnectionPool pool = JdbcConnectionPool.create(url, "sa", "");
		pool.setMaxConnections(16);
		// a call waits at most this long for a pooled connection (H2's default is 30 s, past every deadline)
		pool.setLoginTimeout(3);
		try {
			return open(pool, pool, TableNames.defaults(), initializeSchema, Properties.EMBEDDED);
		}
		catch (RuntimeException ex) {
			pool.dispose();
			throw ex;
		}
	}

	/**
	 * Opens the store on a data source the caller owns (it is never closed here).
	 * @param dataSource a data source of a supported database (H2, PostgreSQL)
	 * @param tables table names
	 * @param initializeSchema whether to create missing tables
	 * @return the store
	 */
	public static JdbcHedgeStore open(DataSource dataSource, TableNames tables, boolean initializeSchema) {
		return open(dataSource, tables, initializeSchema, Properties.EMBEDDED);
	}

	/**
	 * Opens the store on a data source the caller owns (it is never closed here), naming the given properties in
	 * configuration errors.
	 * @param dataSource a data source of a supported database (H2, PostgreSQL)
	 * @param tables table names
	 * @param initializeSchema whether to create missing tables
	 * @param properties the properties the settings came from
	 * @return the store
	 */
	public static JdbcHedgeStore open(DataSource dataSource, TableNames tables, boolean initializeSchema,
			Properties properties) {
		return open(dataSource, null, tables, initializeSchema, properties);
	}

	private static JdbcHedgeStore open(DataSource dataSource, JdbcConnectionPool owned, TableNames tables,
			boolean initialize, Properties properties) {
		tables.validate(properties.lockTable(), properties.logTable());
		JdbcDialect dialect;
		boolean crdt;
		try (Connection connection = firstConnection(dataSource)) {
			dialect = JdbcDialect.of(connection.getMetaData(), properties.store());
			dialect.checkTableName(properties.lockTable(), tables.lockTable());
			dialect.checkTableName(properties.logTable(), tables.logTable());
			dialect.checkTableName(properties.logTable(), tables.crdtTable());
			List<String> missing = missingTables(connection, tables);
			// the replicated data's table is optional: without it replicated data is neither durable nor pruned
			crdt = initialize || !missing.remove(tables.crdtTable());
			if (!crdt) {
				logger.warn("Table {} is missing: replicated data is neither durable nor pruned. Create it with"
						+ " classpath:{}, or set {}", tables.crdtTable(), dialect.schemaResource(),
						properties.initializeSchema());
			}
			if (!missing.isEmpty()) {
				if (!initialize) {
					throw new HedgeConfigurationException(properties.initializeSchema(), "table(s) " + missing
							+ " missing; create them with classpath:" + dialect.schemaResource() + " or set "
							+ properties.initializeSchema() + " to create them at start");
				}
				// each statement commits on its own, whatever the pool's default (an open transaction would be
				// rolled back when the connection goes back to the pool)
				boolean autoCommit = connection.getAutoCommit();
				connection.setAutoCommit(true);
				try {
					for (String ddl : SchemaScript.statements(dialect.schemaResource(), tables)) {
						createIfMissing(connection, ddl);
					}
				}
				finally {
					connection.setAutoCommit(autoCommit);
				}
			}
		}
		catch (SQLException ex) {
			throw new StoreException("could not open the " + ((owned != null) ? "embedded" : "JDBC") + " store: "
					+ ex.getMessage(), ex, false);
		}
		return new JdbcHedgeStore(dataSource, owned, dialect, tables, crdt);
	}

	/**
	 * The properties a store's settings came from, named in configuration errors.
	 * @param store the property that chose the store
	 * @param lockTable the lease table name's property
	 * @param logTable the log table name's property
	 * @param initializeSchema the schema creation setting's property
	 */
	public record Properties(String store, String lockTable, String logTable, String initializeSchema) {

		/** The embedded store's properties. */
		public static final Properties EMBEDDED = new Properties("hedge.store", "hedge.embedded.lock-table",
				"hedge.embedded.log-table", "hedge.embedded.initialize-schema");

		/** The properties of the store on the application's data source ({@code hedge.store=jdbc}). */
		public static final Properties JDBC = new Properties("hedge.store", "hedge.jdbc.lock-table",
				"hedge.jdbc.log-table", "hedge.jdbc.initialize-schema");

	}

	/**
	 * The first connection, retried for up to 30 s while H2 reports another process opening, serving or leaving the
	 * same file at that moment (several members of one machine starting or stopping together): "Lock file recently
	 * modified" or "Another process was faster" (8000: two processes creating or replacing the lock file together, as
	 * after every member on the machine was killed), locked by a process that has not yet published its server
	 * address (90020), the server process gone between reading its address and connecting (90067). One of H2's
	 * attempts can take 4 s (its file lock waits for the lock file to settle), so four processes starting at once need
	 * several.
	 */
	private static Connection firstConnection(DataSource dataSource) throws SQLException {
		long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (true) {
			try {
				return dataSource.getConnection();
			}
			catch (SQLException ex) {
				if (!openRace(ex) || System.nanoTime() - end >= 0) {
					throw ex;
				}
				try {
					Thread.sleep(200);
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					throw ex;
				}
			}
		}
	}

	/**
	 * Runs one {@code CREATE … IF NOT EXISTS}. Two processes creating the same object at once can both pass the
	 * database's existence check, and the later one fails (H2: "object already exists"; PostgreSQL: a unique violation
	 * in its catalog); the statement is then simply run again, and finds the object.
	 */
	private static void createIfMissing(Connection connection, String ddl) throws SQLException {
		for (int attempt = 1;; attempt++) {
			try (Statement statement = connection.createStatement()) {
				statement.execute(ddl);
				return;
			}
			catch (SQLException ex) {
				if (attempt == 5) {
					throw ex;
				}
				try {
					Thread.sleep(50L * attempt);
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					throw ex;
				}
			}
		}
	}

	/** Whether H2 refused an open only because another process opened, served or left the same file meanwhile. */
	static boolean openRace(SQLException ex) {
		String message = String.valueOf(ex.getMessage());
		return switch (ex.getErrorCode()) {
			case ErrorCode.ERROR_OPENING_DATABASE_1 ->
				message.contains("Lock file recently modified") || message.contains("Another process was faster");
			case ErrorCode.DATABASE_ALREADY_OPEN_1, ErrorCode.CONNECTION_BROKEN_1 -> true;
			default -> false;
		};
	}

	private static List<String> missingTables(Connection connection, TableNames tables) throws SQLException {
		DatabaseMetaData meta = connection.getMetaData();
		Set<String> present = new HashSet<>();
		try (ResultSet rs = meta.getTables(connection.getCatalog(), connection.getSchema(), null,
				new String[] { "TABLE", "BASE TABLE" })) {
			while (rs.next()) {
				present.add(rs.getString("TABLE_NAME"));
			}
		}
		List<String> missing = new ArrayList<>();
		for (String table : List.of(tables.lockTable(), tables.logTable(), tables.chainTable(), tables.crdtTable())) {
			if (!present.contains(table)) {
				missing.add(table);
			}
		}
		return missing;
	}

	@Override
	public StoreKind kind() {
		return (this.ownedPool != null) ? StoreKind.EMBEDDED : StoreKind.JDBC;
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

	/**
	 * The database this store runs on.
	 * @return {@code h2} or {@code postgresql}
	 */
	public String database() {
		return this.dialect.id();
	}

	@Override
	public void close() {
		this.leaseCalls.close();
		this.calls.close();
		if (this.ownedPool != null) {
			this.ownedPool.dispose();
		}
	}

}
