package dev.hedge.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;

import dev.hedge.common.Failpoints;
import dev.hedge.election.AcquireResult;
import dev.hedge.election.LeaseClaim;
import dev.hedge.election.LeaseRecord;
import dev.hedge.election.LeaseStore;

/**
 * {@link LeaseStore} over JDBC. Expiry is judged with the database clock ({@link JdbcDialect#now()}: PostgreSQL's
 * {@code clock_timestamp()}, the moment the expression is evaluated, never a JVM's), and the lease's age is computed on
 * instants, so members whose sessions run in different time zones, or a DST change, agree on it.
 *
 * <p><b>Why this is safe at READ COMMITTED</b> (set explicitly by {@link JdbcCalls}; PostgreSQL's default):
 * <ul>
 * <li><b>Takeover</b> is one transaction: {@code SELECT … FOR UPDATE} of the lease row, the decision, then the
 * {@code UPDATE} that increments the epoch. A {@code FOR UPDATE} that finds the row locked waits until the holder's
 * transaction ends and then returns the newest committed version of the row, its age computed again with the database
 * clock of that moment (PostgreSQL re-evaluates the query for the new row version; it never decides on the snapshot
 * the statement started with). The row stays locked until commit, so concurrent contenders serialise: the second one
 * sees the first one's epoch and live lease and loses. Exactly one winner per epoch.</li>
 * <li><b>First claim</b> of a group: there is no row to lock, so two first claims both {@code INSERT}; the primary key
 * makes the second wait for the first and fail with a unique violation (23505) once it commits. That is retried as a
 * whole transaction, which then reads and judges the winner's row (or inserts, if the first rolled back).</li>
 * <li><b>Renewal and release</b> are single conditional {@code UPDATE}s (incarnation, epoch and, for a renewal, the
 * lease not run out by the database clock). An {@code UPDATE} that waited for a takeover's lock re-checks its
 * condition on the row the takeover committed, so a renewal or release queued behind a takeover changes 0 rows; and a
 * takeover queued behind a renewal judges the renewed heartbeat. On PostgreSQL the clock is the one at evaluation,
 * not the transaction's start ({@code CURRENT_TIMESTAMP}), so a renewal that waited cannot count its lease from before
 * the wait; on H2 it is the transaction's start, which is still after the holder's call began, so the holder's own
 * belief ends before the lease others judge. A takeover's heartbeat and token follow every timestamp issued under the
 * lock (see {@code takeSql}).</li>
 * </ul>
 * {@code AbstractJdbcLockingTests} blocks each of these calls on the row lock of another session and checks the
 * outcome. A retried transaction (conflict, lost connection) is safe to re-run even when its first commit went
 * through: the claim is by incarnation (a holder may retake its own lease, with a new epoch), renewal is idempotent,
 * and a repeated release changes nothing. The database server's clock is the lease clock: keep it free of steps (NTP
 * slewing is fine), as for any database-clock lease.
 */
final class JdbcLeaseStore implements LeaseStore {

	private static final long NO_HEARTBEAT_AGE = Long.MAX_VALUE / 4;

	private final JdbcCalls calls;

	private final String readSql;

	private final String insertSql;

	private final String takeSql;

	private final String renewSql;

	private final String releaseSql;

	private final String unconditionalRenewSql;

	private final String tokenSql;

	JdbcLeaseStore(JdbcCalls calls, String table) {
		this.calls = calls;
		JdbcDialect dialect = calls.dialect();
		String now = dialect.now();
		this.readSql = """
				SELECT "writer", "incarnation", "epoch", "lease_ms", %s AS "age"
				FROM "%s" WHERE "name" = ?""".formatted(dialect.millisSince("\"heartbeat\""), table);
		this.insertSql = """
				INSERT INTO "%s" ("name", "writer", "incarnation", "epoch", "lease_ms", "heartbeat", "token")
				VALUES (?, ?, ?, ?, ?, %s, %s)""".formatted(table, now, now);
		// a takeover's time comes from the group's issued clock, as a fenced write's does (JdbcFence): after the last
		// timestamp issued under the lock, which it also advances. H2's clock is the transaction's start, so a takeover
		// that waited for a fenced write's lock would otherwise be stamped before that write, and a write of the new
		// epoch that waited for the takeover's lock before it
		String issued = "GREATEST(%s, COALESCE(\"clock\" + INTERVAL '0.000001' SECOND, %s))".formatted(now, now);
		this.takeSql = """
				UPDATE "%s" SET "writer" = ?, "incarnation" = ?, "epoch" = ?, "lease_ms" = ?,
				  "heartbeat" = %s, "token" = %s, "clock" = %s
				WHERE "name" = ?""".formatted(table, issued, issued, issued);
		this.renewSql = """
				UPDATE "%s" SET "heartbeat" = %s
				WHERE "name" = ? AND "incarnation" = ? AND "epoch" = ? AND %s <= "lease_ms\""""
			.formatted(table, now, dialect.millisSince("\"heartbeat\""));
		this.tokenSql = "SELECT \"token\" FROM \"%s\" WHERE \"name\" = ?".formatted(table);
		this.unconditionalRenewSql = "UPDATE \"%s\" SET \"heartbeat\" = %s WHERE \"name\" = ?".formatted(table, now)
				+ " AND ? IS NOT NULL AND ? IS NOT NULL";
		this.releaseSql = """
				UPDATE "%s" SET "writer" = NULL, "incarnation" = NULL
				WHERE "name" = ? AND "incarnation" = ? AND "epoch" = ?""".formatted(table);
	}

	@Override
	public LeaseRecord read(String lockName, Duration timeout) {
		return this.calls.call("lease read", timeout, false, (session) -> read(session, lockName, false));
	}

	private LeaseRecord read(JdbcCalls.Session session, String lockName, boolean forUpdate) throws SQLException {
		try (PreparedStatement statement = session.prepare(this.readSql + (forUpdate ? " FOR UPDATE" : ""))) {
			statement.setString(1, lockName);
			try (ResultSet rs = statement.executeQuery()) {
				if (!rs.next()) {
					return LeaseRecord.absent();
				}
				long age = rs.getLong("age");
				if (rs.wasNull()) {
					age = NO_HEARTBEAT_AGE;
				}
				return new LeaseRecord(rs.getString("writer"), rs.getString("incarnation"), rs.getLong("epoch"),
						rs.getLong("lease_ms"), age);
			}
		}
	}

	@Override
	public AcquireResult tryAcquire(String lockName, LeaseClaim claim, Duration timeout) {
		return this.calls.call("lease takeover", timeout, true, (session) -> {
			LeaseRecord current = read(session, lockName, true);
			if (!current.claimableBy(claim)) {
				return AcquireResult.lost(current);
			}
			long epoch = current.epoch() + 1;
			boolean first = current.epoch() == 0;
			try (PreparedStatement write = session.prepare(first ? this.insertSql : this.takeSql)) {
				int at = 1;
				if (first) {
					write.setString(at++, lockName);
				}
				write.setString(at++, claim.holder());
				write.setString(at++, claim.incarnation());
				write.setLong(at++, epoch);
				write.setLong(at++, claim.leaseMillis());
				if (!first) {
					write.setString(at, lockName);
				}
				write.executeUpdate();
			}
			Instant token;
			try (PreparedStatement read = session.prepare(this.tokenSql)) {
				read.setString(1, lockName);
				try (ResultSet rs = read.executeQuery()) {
					rs.next();
					token = rs.getObject(1, OffsetDateTime.class).toInstant();
				}
			}
			return new AcquireResult(true,
					new LeaseRecord(claim.holder(), claim.incarnation(), epoch, claim.leaseMillis(), 0), token);
		});
	}

	@Override
	public boolean renew(String lockName, String incarnation, long epoch, Duration timeout) {
		String sql = Failpoints.enabled(Failpoints.UNCONDITIONAL_RENEW) ? this.unconditionalRenewSql : this.renewSql;
		return conditionalUpdate("lease renewal", sql, lockName, incarnation, epoch, timeout);
	}

	@Override
	public boolean release(String lockName, String incarnation, long epoch, Duration timeout) {
		return conditionalUpdate("lease release", this.releaseSql, lockName, incarnation, epoch, timeout);
	}

	private boolean conditionalUpdate(String what, String sql, String lockName, String incarnation, long epoch,
			Duration timeout) {
		return this.calls.call(what, timeout, false, (session) -> {
			try (PreparedStatement statement = session.prepare(sql)) {
				statement.setString(1, lockName);
				statement.setString(2, incarnation);
				statement.setLong(3, epoch);
				return statement.executeUpdate() == 1;
			}
		});
	}

}
