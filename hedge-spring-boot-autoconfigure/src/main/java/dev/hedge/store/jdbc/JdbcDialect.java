package dev.hedge.store.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Set;

import dev.hedge.common.HedgeConfigurationException;

/**
 * What differs between the databases the JDBC adapter runs on; everything else is portable SQL (no {@code DATEDIFF},
 * no {@code MERGE}, no vendor error codes outside this class). The database clock is each dialect's
 * {@link #now()}, never a JVM's; ages are computed on instants ({@code EXTRACT(EPOCH FROM …)}), so sessions in
 * different time zones, or a DST change, never skew them.
 */
enum JdbcDialect {

	/**
	 * H2 2.x (the embedded store). {@code CURRENT_TIMESTAMP} is the transaction's start (the same value for every
	 * statement of a transaction, including one that waited for a lock): lease ages judged with it are never
	 * overstated, and timestamps that must follow a lock wait come from the issued clock ({@link JdbcFence}).
	 */
	H2("h2", "CURRENT_TIMESTAMP(9)", Set.of("HYT00", "90131", "90135", "90067", "90098"),
			Set.of(50200, 90067, 90098, 90131, 90135), 128, false, null),

	/**
	 * PostgreSQL (tested with 15). {@code clock_timestamp()} is the server's clock at the moment of the call
	 * ({@code CURRENT_TIMESTAMP} is the transaction's start, which for a statement that waited for a lock is before
	 * the wait). Retried: serialization failures, deadlocks, lock timeouts, lost connections, a server shutting down.
	 * Identifiers are at most 63 bytes; the log index adds {@code _key_ts} to the log table's name.
	 */
	POSTGRESQL("postgresql", "clock_timestamp()", Set.of("40P01", "55P03", "08000", "08001", "08003", "08004",
			"08006", "57P01"), Set.of(), 63 - "_key_ts".length(), true,
			"SET LOCAL idle_in_transaction_session_timeout = ");

	/** States retried on every database: serialization failure, a concurrent insert of the same key. */
	private static final Set<String> COMMON_RETRYABLE_STATES = Set.of("40001", "23505");

	private final String id;

	private final String now;

	private final Set<String> retryableStates;

	private final Set<Integer> retryableCodes;

	private final int maxTableName;

	private final boolean boundsNetworkReads;

	/** The statement (followed by milliseconds) that ends a transaction whose client went silent; null if none. */
	private final String idleTransactionBound;

	JdbcDialect(String id, String now, Set<String> retryableStates, Set<Integer> retryableCodes, int maxTableName,
			boolean boundsNetworkReads, String idleTransactionBound) {
		this.id = id;
		this.now = now;
		this.retryableStates = retryableStates;
		this.retryableCodes = retryableCodes;
		this.maxTableName = maxTableName;
		this.boundsNetworkReads = boundsNetworkReads;
		this.idleTransactionBound = idleTransactionBound;
	}

	/**
	 * Bounds how long the transaction just begun on a connection may sit idle waiting for its client: a client that
	 * stops between two statements (a SIGSTOP, a long GC or VM pause) would otherwise keep its row locks, among them
	 * the lease row's, and hold up the successor's take-over until it resumes. PostgreSQL ends such a session after
	 * {@code idle_in_transaction_session_timeout} (set for this transaction only); H2 runs in the process, so a paused
	 * client pauses its database too. The caller has given up on the call by then, its outcome unknown.
	 * @param connection a connection with a transaction begun (autocommit off)
	 * @param millis the most the transaction may idle, at least 1
	 * @throws SQLException if the setting fails
	 */
	void boundIdleTransaction(Connection connection, long millis) throws SQLException {
		if (this.idleTransactionBound == null) {
			return;
		}
		try (Statement statement = connection.createStatement()) {
			statement.execute(this.idleTransactionBound + Math.max(1, Math.min(Integer.MAX_VALUE, millis)));
		}
	}

	/**
	 * Whether the driver honours {@code Connection.setNetworkTimeout} (PostgreSQL's sets the socket's read timeout;
	 * the embedded database needs none).
	 * @return whether to set one per call
	 */
	boolean boundsNetworkReads() {
		return this.boundsNetworkReads;
	}

	/**
	 * Checks that a table name fits this database's identifiers (with the suffix of the log index).
	 * @param property the property the name came from
	 * @param name the table name
	 * @throws HedgeConfigurationException when it does not
	 */
	void checkTableName(String property, String name) {
		if (name.length() > this.maxTableName) {
			throw new HedgeConfigurationException(property, "'" + name + "' is too long for " + this.id + " (at most "
					+ this.maxTableName + " characters)");
		}
	}

	/**
	 * The dialect of a connection's database.
	 * @param meta the connection's metadata
	 * @param property the property that chose this database, for the error
	 * @return the dialect
	 * @throws SQLException if the metadata cannot be read
	 * @throws HedgeConfigurationException for a database hedge does not support
	 */
	static JdbcDialect of(DatabaseMetaData meta, String property) throws SQLException {
		String product = meta.getDatabaseProductName();
		String lower = (product != null) ? product.toLowerCase(Locale.ROOT) : "";
		if (lower.contains("h2")) {
			return H2;
		}
		if (lower.contains("postgres")) {
			return POSTGRESQL;
		}
		throw new HedgeConfigurationException(property,
				"hedge's JDBC store supports H2 and PostgreSQL, not " + product + " " + meta.getDatabaseProductVersion());
	}

	/**
	 * The name used in resource names and messages ({@code h2}, {@code postgresql}).
	 * @return the id
	 */
	String id() {
		return this.id;
	}

	/**
	 * The classpath resource with this database's DDL.
	 * @return the resource
	 */
	String schemaResource() {
		return "dev/hedge/store/jdbc/schema-" + this.id + ".sql";
	}

	/**
	 * SQL expression of the database clock.
	 * @return the expression
	 */
	String now() {
		return this.now;
	}

	/**
	 * SQL expression of the milliseconds from a timestamp column to the database clock, computed on instants.
	 * @param column the quoted column
	 * @return the expression (a BIGINT, NULL when the column is NULL)
	 */
	String millisSince(String column) {
		return "CAST((EXTRACT(EPOCH FROM " + this.now + ") - EXTRACT(EPOCH FROM " + column + ")) * 1000 AS BIGINT)";
	}

	/**
	 * Whether a failure is transient and the whole transaction worth another attempt.
	 * @param ex the failure
	 * @return whether to retry
	 */
	boolean retryable(SQLException ex) {
		String state = ex.getSQLState();
		return (state != null && (COMMON_RETRYABLE_STATES.contains(state) || this.retryableStates.contains(state)))
				|| this.retryableCodes.contains(ex.getErrorCode());
	}

	/**
	 * Whether a failure is the statement's own timeout (the outcome of a write is then unknown).
	 * @param ex the failure
	 * @return whether the statement timed out
	 */
	boolean timedOut(SQLException ex) {
		return "57014".equals(ex.getSQLState()) || ex.getErrorCode() == 57014;
	}

}
