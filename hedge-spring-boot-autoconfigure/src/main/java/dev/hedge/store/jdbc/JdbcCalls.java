package dev.hedge.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.time.Duration;
import java.util.Set;

import javax.sql.DataSource;

import dev.hedge.common.HedgeException;
import dev.hedge.common.StoreException;

/**
 * Runs every JDBC call of the adapter: takes a pooled connection, applies the call's deadline as each statement's
 * query timeout, commits or rolls back, retries transient conflicts (lock timeouts, deadlocks, a concurrent insert
 * of the same key, a connection lost while another process takes over the embedded database's server role) while
 * the deadline allows, and translates failures to {@link StoreException}.
 */
final class JdbcCalls {

	/** H2 and SQL-standard states worth another attempt. */
	private static final Set<String> RETRYABLE_STATES = Set.of("23505", "40001", "HYT00", "08006", "08003", "08S01",
			"90067", "90098", "90131", "90135");

	/** Error codes (H2) worth another attempt: duplicate key, deadlock, lock timeout, connection broken, concurrent
	 * update. */
	private static final Set<Integer> RETRYABLE_CODES = Set.of(23505, 40001, 50200, 90067, 90098, 90131, 90135);

	private final DataSource dataSource;

	JdbcCalls(DataSource dataSource) {
		this.dataSource = dataSource;
	}

	<T> T call(String what, Duration timeout, boolean transactional, Work<T> work) {
		long deadline = System.nanoTime() + timeout.toNanos();
		SQLException last = null;
		int attempt = 0;
		while (attempt == 0 || System.nanoTime() - deadline < 0) {
			attempt++;
			try (Connection connection = this.dataSource.getConnection()) {
				connection.setAutoCommit(!transactional);
				try {
					T result = work.run(new Session(connection, deadline));
					if (transactional) {
						connection.commit();
					}
					return result;
				}
				catch (SQLException | RuntimeException ex) {
					if (transactional) {
						rollbackQuietly(connection);
					}
					throw ex;
				}
			}
			catch (HedgeException ex) {
				throw ex;
			}
			catch (SQLTimeoutException ex) {
				throw new StoreException("embedded store " + what + " timed out after " + timeout, ex, true);
			}
			catch (SQLException ex) {
				if (isTimeout(ex)) {
					throw new StoreException("embedded store " + what + " timed out after " + timeout, ex, true);
				}
				if (!isRetryable(ex)) {
					throw new StoreException("embedded store " + what + " failed: " + ex.getMessage(), ex, false);
				}
				last = ex;
				pause(Math.min(50L * attempt, 250));
			}
		}
		throw new StoreException("embedded store " + what + " did not succeed within " + timeout, last, true);
	}

	private static boolean isTimeout(SQLException ex) {
		return ex.getErrorCode() == 57014 || "57014".equals(ex.getSQLState());
	}

	private static boolean isRetryable(SQLException ex) {
		return RETRYABLE_CODES.contains(ex.getErrorCode()) || RETRYABLE_STATES.contains(ex.getSQLState());
	}

	private static void rollbackQuietly(Connection connection) {
		try {
			connection.rollback();
		}
		catch (SQLException ex) {
			// the connection is broken; the pool discards it
		}
	}

	private static void pause(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new StoreException("interrupted", ex, false);
		}
	}

	/** One attempt's connection, handing out statements limited to what is left of the deadline. */
	static final class Session {

		private final Connection connection;

		private final long deadline;

		Session(Connection connection, long deadline) {
			this.connection = connection;
			this.deadline = deadline;
		}

		PreparedStatement prepare(String sql) throws SQLException {
			PreparedStatement statement = this.connection.prepareStatement(sql);
			long left = this.deadline - System.nanoTime();
			int seconds = (int) Math.max(1, (left + 999_999_999L) / 1_000_000_000L);
			statement.setQueryTimeout(seconds);
			return statement;
		}

	}

	@FunctionalInterface
	interface Work<T> {

		T run(Session session) throws SQLException;

	}

}
