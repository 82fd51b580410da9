package dev.hedge.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

import javax.sql.DataSource;

import dev.hedge.common.HedgeException;
import dev.hedge.common.NamedThreads;
import dev.hedge.common.StoreException;

/**
 * Runs every JDBC call of the adapter: takes a connection, runs transactions at READ COMMITTED (set explicitly,
 * whatever the data source's default), applies the call's deadline as each statement's query timeout, commits or rolls
 * back, retries transient conflicts the {@link JdbcDialect} names (serialization failures, deadlocks, lock timeouts, a
 * concurrent insert of the same key, a connection lost while another process takes over the embedded database's server
 * role) while the deadline allows, and translates failures to {@link StoreException}.
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
 * by one call at a time and re-opened when it breaks.
 *
 * <p>The caller waits at most the call's timeout plus {@link #GRACE}, whatever the driver and the pool do: on a stalled
 * database server (SIGSTOP, a hung host) a driver's statement cancel goes to the stalled server too, and a pool waits
 * its own connection and validation timeouts. Each call runs on a worker thread; a call still running at the deadline
 * goes on there, and the caller gets a timeout (outcome unknown). Where the dialect supports it (PostgreSQL) the
 * connection's network timeout ends such a call a few seconds after its deadline, so a worker is not held by a
 * database that never answers. Owns a pool of worker threads, {@code hedge-jdbc-call-n} (or
 * {@code hedge-jdbc-lease-call-n}), started on demand up to a bound beyond which a call fails at once (not started),
 * idle ones ending after {@link #WORKER_KEEP_ALIVE}; {@link #close()} stops them. Thread-safe.
 */
final class JdbcCalls implements AutoCloseable {

	/** How much longer than its timeout a caller waits for a call before giving up on it. */
	static final Duration GRACE = Duration.ofMillis(250);

	/** How long after its deadline a statement's network read gives up (ending a call the server never answers). */
	static final Duration NETWORK_SLACK = Duration.ofSeconds(5);

	/** Most worker threads of the pooled calls; beyond it a call fails at once instead of adding a thread. */
	static final int MAX_WORKERS = 64;

	/** Most worker threads of the lease calls: one call at a time, plus calls their callers gave up on. */
	static final int MAX_LEASE_WORKERS = 32;

	/** How long an idle worker thread lives. */
	static final Duration WORKER_KEEP_ALIVE = Duration.ofSeconds(30);

	/** The executor JDBC's {@code setNetworkTimeout} requires (the drivers hedge supports do not use it). */
	private static final Executor DIRECT = Runnable::run;

	private final DataSource dataSource;

	private final JdbcDialect dialect;

	private final String label;

	/** The dedicated connection and its guard; both null for a pooled instance. */
	private final ReentrantLock dedicatedLock;

	private Connection dedicated;

	private volatile boolean closed;

	private final ExecutorService workers;

	private final int maxWorkers;

	private JdbcCalls(DataSource dataSource, JdbcDialect dialect, String label, boolean dedicated) {
		this.dataSource = dataSource;
		this.dialect = dialect;
		this.label = label;
		this.dedicatedLock = dedicated ? new ReentrantLock(true) : null;
		this.maxWorkers = dedicated ? MAX_LEASE_WORKERS : MAX_WORKERS;
		this.workers = new ThreadPoolExecutor(0, this.maxWorkers, WORKER_KEEP_ALIVE.toSeconds(), TimeUnit.SECONDS,
				new SynchronousQueue<>(), NamedThreads.pool("jdbc", dedicated ? "lease-call" : "call"));
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
		if (Thread.currentThread().isInterrupted()) {
			throw new StoreException(this.label + " " + what + " not started: interrupted", null, false);
		}
		Future<T> future;
		try {
			future = this.workers.submit(() -> run(what, timeout, deadline, transactional, work));
		}
		catch (RejectedExecutionException ex) {
			String why = this.workers.isShutdown() ? "the store is closed"
					: "all " + this.maxWorkers + " call threads are busy (the database is not answering)";
			throw new StoreException(this.label + " " + what + " not started: " + why, ex, false);
		}
		try {
			return future.get(Math.max(0, deadline - System.nanoTime()) + GRACE.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			throw new StoreException(this.label + " " + what + " did not finish within " + timeout
					+ " (the database did not answer); its outcome is unknown", ex, true);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new StoreException(this.label + " " + what + " interrupted", ex, true);
		}
		catch (ExecutionException wrapped) {
			Throwable cause = wrapped.getCause();
			if (cause instanceof RuntimeException ex) {
				throw ex;
			}
			if (cause instanceof Error error) {
				throw error;
			}
			throw new StoreException(this.label + " " + what + " failed: " + cause, cause, false);
		}
	}

	private <T> T run(String what, Duration timeout, long deadline, boolean transactional, Work<T> work) {
		SQLException last = null;
		int attempt = 0;
		while (attempt == 0 || System.nanoTime() - deadline < 0) {
			attempt++;
			Connection connection = null;
			boolean broken = false;
			try {
				connection = borrow(deadline, what, timeout);
				prepare(connection, transactional, deadline);
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

	/**
	 * Sets the network timeout, the transaction mode and, for a transaction, how long it may idle waiting for this
	 * client (see {@link JdbcDialect#boundIdleTransaction}). The isolation level matters only to transactions of several
	 * statements (a single autocommitted statement is safe at any level: an update that would need a newer row fails
	 * with a serialization failure, which is retried), and reading it costs a round trip on PostgreSQL, so it is
	 * checked only for those; the dedicated connection is set to READ COMMITTED once, when it is opened.
	 */
	private void prepare(Connection connection, boolean transactional, long deadline) throws SQLException {
		if (this.dialect.boundsNetworkReads()) {
			long millis = (Math.max(0, deadline - System.nanoTime()) + NETWORK_SLACK.toNanos()) / 1_000_000;
			connection.setNetworkTimeout(DIRECT, (int) Math.min(Integer.MAX_VALUE, millis));
		}
		if (transactional && this.dedicatedLock == null) {
			readCommitted(connection);
		}
		if (connection.getAutoCommit() == transactional) {
			connection.setAutoCommit(!transactional);
		}
		if (transactional) {
			// a client frozen mid-transaction must not keep the lease row locked past the time its caller waits
			this.dialect.boundIdleTransaction(connection,
					(Math.max(0, deadline - System.nanoTime()) + GRACE.toNanos()) / 1_000_000);
		}
	}

	private static void readCommitted(Connection connection) throws SQLException {
		if (connection.getTransactionIsolation() != Connection.TRANSACTION_READ_COMMITTED) {
			connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
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
				Connection opened = this.dataSource.getConnection();
				try {
					readCommitted(opened);
				}
				catch (SQLException | RuntimeException ex) {
					closeQuietly(opened);
					throw ex;
				}
				this.dedicated = opened;
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
		if (broken || this.closed) {
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

	/**
	 * Stops the worker threads once their calls end (calls in flight go on to their end; new ones are refused) and
	 * closes the dedicated connection, unless a call still uses it (that call's end gives it back, broken or not).
	 */
	@Override
	public void close() {
		this.closed = true;
		this.workers.shutdown();
		if (this.dedicatedLock == null) {
			return;
		}
		boolean locked = false;
		try {
			locked = this.dedicatedLock.tryLock(GRACE.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (!locked) {
			return;
		}
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
