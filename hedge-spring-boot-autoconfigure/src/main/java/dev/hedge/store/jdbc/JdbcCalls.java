package dev.hedge.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import javax.sql.DataSource;

import dev.hedge.common.HedgeException;
import dev.hedge.common.StoreException;

/**
 * Runs every JDBC call of the adapter: takes a connection, runs the work at READ COMMITTED (set explicitly, whatever
 * the data source's default), applies the call's deadline as each statement's query timeout, commits or rolls back,
 * retries transient conflicts the {@link JdbcDialect} names (serialization failures, deadlocks, lock timeouts, a
 * concurrent insert of the same key, a connection lost while another process takes over the embedded database's
 * server role) while the deadline allows, and translates failures to {@link StoreException}.
 *
 * <p>READ COMMITTED is what the adapter's locking reasoning needs (see {@link JdbcFence} and {@link JdbcLeaseStore}):
 * every decision is made on rows read under the lease row's lock, in statements whose snapshots are taken after the
 * lock was granted. A re-run transaction is a new attempt from the start on a connection in a clean state; it is safe
 * even when a lost connection hid a commit that went through, because every write of hedge's is idempotent (claims by
 * incarnation, appends and grants by row id, conditional renewals and releases). A statement that outlives the
 * deadline is cancelled by the driver (PostgreSQL: 57014) and reported as a timeout, its outcome unknown.
 *
 * <p>Two kinds: {@link #pooled} borrows a connection from the data source per call; {@link #dedicated} keeps one
 * connection for itself (the lease calls: application traffic that exhausts the pool never delays a renewal), used
 * by one call at a time and re-opened when it breaks. Thread-safe.
 */
final class JdbcCalls implements AutoCloseable {

	private final DataSource dataSource;

	private final JdbcDialect dialect;

	private final String label;

	/** The dedicated connection and its guard; both null for a pooled instance. */
	private final ReentrantLock dedicatedLock;

	private Connection dedicated;

	private JdbcCalls(DataSource dataSource, JdbcDialect dialect, String label, boolean dedicated) {
		this.dataSource = dataSource;
		this.dialect = dialect;
		this.label = label;
		this.dedicatedLock = dedicated ? new ReentrantLock(true) : null;
	}

	static JdbcCalls pooled(DataSource dataSource, JdbcDialect dialect, String label) {
		return new JdbcCalls(dataSource, dialect, label, false);
	}

	static JdbcCalls dedicated(DataSource dataSource, JdbcDialect dialect, String label) {
		return new JdbcCalls(dataSource, dialect, label, true);
	}

	JdbcDialect dialect() {
		return this.dialect;
	}

	<T> T call(String what, Duration timeout, boolean transactional, Work<T> work) {
		long deadline = System.nanoTime() + timeout.toNanos();
		SQLException last = null;
		int attempt = 0;
		while (attempt == 0 || System.nanoTime() - deadline < 0) {
			attempt++;
			Connection connection = null;
			boolean broken = false;
			try {
				connection = borrow(deadline, what, timeout);
				prepare(connection, transactional);
				try {
					T result = work.run(new Session(connection, deadline));
					if (transactional) {
						connection.commit();
					}
					return result;
				}
				catch (SQLException | RuntimeException ex) {
					if (transactional) {
						broken = !rollbackQuietly(connection);
					}
					throw ex;
				}
			}
			catch (HedgeException ex) {
				throw ex;
			}
			catch (SQLException ex) {
				broken = broken || brokenConnection(ex);
				// H2 reports a lock timeout as an SQLTimeoutException too: that one is a conflict, retried
				if (this.dialect.timedOut(ex) || (ex instanceof SQLTimeoutException && !this.dialect.retryable(ex))) {
					broken = broken || ex instanceof SQLTimeoutException;
					throw timedOut(what, timeout, ex);
				}
				if (!this.dialect.retryable(ex)) {
					throw new StoreException(this.label + " " + what + " failed: " + ex.getMessage(), ex, false,
							rejected(ex));
				}
				last = ex;
				pause(Math.min(20L * attempt, 250), deadline);
			}
			finally {
				giveBack(connection, broken);
			}
		}
		throw new StoreException(this.label + " " + what + " did not succeed within " + timeout, last, true);
	}

	private StoreException timedOut(String what, Duration timeout, SQLException ex) {
		return new StoreException(this.label + " " + what + " timed out after " + timeout, ex, true);
	}

	private static void prepare(Connection connection, boolean transactional) throws SQLException {
		if (connection.getTransactionIsolation() != Connection.TRANSACTION_READ_COMMITTED) {
			connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
		}
		if (connection.getAutoCommit() == transactional) {
			connection.setAutoCommit(!transactional);
		}
	}

	private Connection borrow(long deadline, String what, Duration timeout) throws SQLException {
		if (this.dedicatedLock == null) {
			return this.dataSource.getConnection();
		}
		try {
			if (!this.dedicatedLock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
				throw new StoreException(this.label + " " + what + " did not get its connection within " + timeout,
						null, false);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new StoreException(this.label + " " + what + " interrupted", ex, false);
		}
		try {
			if (this.dedicated == null || this.dedicated.isClosed()) {
				this.dedicated = this.dataSource.getConnection();
			}
			return this.dedicated;
		}
		catch (SQLException | RuntimeException ex) {
			this.dedicatedLock.unlock();
			throw ex;
		}
	}

	private void giveBack(Connection connection, boolean broken) {
		if (connection == null) {
			return;
		}
		if (this.dedicatedLock == null) {
			closeQuietly(connection);
			return;
		}
		if (broken) {
			closeQuietly(connection);
			this.dedicated = null;
		}
		this.dedicatedLock.unlock();
	}

	/** Whether the database refused the data itself: a data exception (22), an integrity violation (23), a limit (54). */
	private static boolean rejected(SQLException ex) {
		String state = ex.getSQLState();
		return state != null && (state.startsWith("22") || state.startsWith("23") || state.startsWith("54"));
	}

	private static boolean brokenConnection(SQLException ex) {
		String state = ex.getSQLState();
		return state != null && state.startsWith("08");
	}

	/** @return whether the rollback worked (else the connection is broken) */
	private static boolean rollbackQuietly(Connection connection) {
		try {
			connection.rollback();
			return true;
		}
		catch (SQLException ex) {
			return false;
		}
	}

	private static void closeQuietly(Connection connection) {
		try {
			connection.close();
		}
		catch (SQLException ex) {
			// nothing to do: the pool discards it
		}
	}

	private static void pause(long millis, long deadline) {
		long left = (deadline - System.nanoTime()) / 1_000_000;
		if (left <= 0) {
			return;
		}
		try {
			Thread.sleep(Math.min(millis, left));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new StoreException("interrupted", ex, false);
		}
	}

	/** Closes the dedicated connection (a no-op for a pooled instance). */
	@Override
	public void close() {
		if (this.dedicatedLock == null) {
			return;
		}
		this.dedicatedLock.lock();
		try {
			if (this.dedicated != null) {
				closeQuietly(this.dedicated);
				this.dedicated = null;
			}
		}
		finally {
			this.dedicatedLock.unlock();
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
