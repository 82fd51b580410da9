package dev.hedge.store.jdbc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcConnectionPool;

import dev.hedge.common.HedgeConfigurationException;
import dev.hedge.common.StoreException;
import dev.hedge.election.LeaseStore;
import dev.hedge.kv.LogStore;
import dev.hedge.semaphore.SemaphoreStore;
import dev.hedge.store.HedgeStore;
import dev.hedge.store.SchemaScript;
import dev.hedge.store.StoreKind;
import dev.hedge.store.TableNames;

/**
 * The embedded backend: H2 in file mode with {@code AUTO_SERVER}, so every process on the machine that opens the
 * same directory shares one database (the first opener serves it; another takes over when it exits). The JDBC code
 * is written against a {@link DataSource} so another database can be added with its own dialect later. Thread-safe.
 */
public final class JdbcHedgeStore implements HedgeStore {

	static final String RESOURCE = "dev/hedge/store/jdbc/schema-h2.sql";

	private final JdbcConnectionPool ownedPool;

	private final JdbcLeaseStore leases;

	private final JdbcLogStore log;

	private final JdbcSemaphoreStore semaphores;

	private JdbcHedgeStore(DataSource dataSource, JdbcConnectionPool ownedPool, TableNames tables) {
		this.ownedPool = ownedPool;
		JdbcCalls calls = new JdbcCalls(dataSource);
		this.leases = new JdbcLeaseStore(calls, tables.lockTable());
		this.log = new JdbcLogStore(calls, tables.lockTable(), tables.logTable());
		this.semaphores = new JdbcSemaphoreStore(calls, tables.lockTable(), tables.logTable());
	}

	/**
	 * Opens (creating when needed) the embedded database in {@code directory} ({@code hedge.embedded.path}).
	 * @param directory where the database files live
	 * @param initializeSchema whether to create missing tables ({@code hedge.embedded.initialize-schema})
	 * @return the store
	 */
	public static JdbcHedgeStore embedded(Path directory, boolean initializeSchema) {
		Path absolute = directory.toAbsolutePath().normalize();
		// WRITE_DELAY=0: a commit reaches the file before it is acknowledged, so killing the process that serves
		// the database (SIGKILL, OOM) loses no acknowledged write; H2's default buffers commits for 500 ms.
		// retry: a file channel closed because the thread using it was interrupted (a caller's cancelled task) is
		// re-opened and the operation retried; without it H2 closes the database for every connection.
		String url = "jdbc:h2:retry:file:" + absolute.resolve("hedge") + ";AUTO_SERVER=TRUE"
				+ ";LOCK_TIMEOUT=2000;WRITE_DELAY=0";
		JdbcConnectionPool pool = JdbcConnectionPool.create(url, "sa", "");
		pool.setMaxConnections(16);
		try {
			return open(pool, pool, TableNames.defaults(), initializeSchema, "hedge.embedded.initialize-schema");
		}
		catch (RuntimeException ex) {
			pool.dispose();
			throw ex;
		}
	}

	/**
	 * Opens the store on a data source the caller owns (it is never closed here).
	 * @param dataSource an H2 data source
	 * @param tables table names
	 * @param initializeSchema whether to create missing tables
	 * @return the store
	 */
	public static JdbcHedgeStore open(DataSource dataSource, TableNames tables, boolean initializeSchema) {
		return open(dataSource, null, tables, initializeSchema, "hedge.embedded.initialize-schema");
	}

	private static JdbcHedgeStore open(DataSource dataSource, JdbcConnectionPool owned, TableNames tables,
			boolean initialize, String initializeProperty) {
		tables.validate("hedge.embedded.lock-table", "hedge.embedded.log-table");
		try (Connection connection = firstConnection(dataSource)) {
			List<String> missing = missingTables(connection, tables);
			if (!missing.isEmpty()) {
				if (!initialize) {
					throw new HedgeConfigurationException(initializeProperty, "table(s) " + missing
							+ " missing; create them with classpath:" + RESOURCE + " or set " + initializeProperty
							+ "=true");
				}
				try (Statement statement = connection.createStatement()) {
					for (String ddl : SchemaScript.statements(RESOURCE, tables)) {
						statement.execute(ddl);
					}
				}
			}
		}
		catch (SQLException ex) {
			throw new StoreException("could not open the embedded store: " + ex.getMessage(), ex, false);
		}
		return new JdbcHedgeStore(dataSource, owned, tables);
	}

	/**
	 * The first connection, retried for up to 10 s while H2 reports the file being opened by another process at the
	 * same moment ("Lock file recently modified", error 8000: several members of one machine starting together).
	 */
	private static Connection firstConnection(DataSource dataSource) throws SQLException {
		long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
		while (true) {
			try {
				return dataSource.getConnection();
			}
			catch (SQLException ex) {
				boolean racing = ex.getErrorCode() == org.h2.api.ErrorCode.ERROR_OPENING_DATABASE_1
						&& String.valueOf(ex.getMessage()).contains("Lock file recently modified");
				if (!racing || System.nanoTime() - end >= 0) {
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

	private static List<String> missingTables(Connection connection, TableNames tables) throws SQLException {
		DatabaseMetaData meta = connection.getMetaData();
		Set<String> present = new HashSet<>();
		try (ResultSet rs = meta.getTables(null, null, null, new String[] { "TABLE", "BASE TABLE" })) {
			while (rs.next()) {
				present.add(rs.getString("TABLE_NAME"));
			}
		}
		List<String> missing = new ArrayList<>();
		for (String table : List.of(tables.lockTable(), tables.logTable())) {
			if (!present.contains(table)) {
				missing.add(table);
			}
		}
		return missing;
	}

	@Override
	public StoreKind kind() {
		return StoreKind.EMBEDDED;
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
	public void close() {
		if (this.ownedPool != null) {
			this.ownedPool.dispose();
		}
	}

}
