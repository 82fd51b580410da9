package dev.hedge.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import dev.hedge.common.Failpoints;
import dev.hedge.election.Fence;
import dev.hedge.election.FencedException;

/**
 * The fence check every leader-side JDBC write runs first, inside its own transaction: it locks the lease row
 * ({@code FOR UPDATE}, so leader-side writes and takeovers of one group serialise on it), throws unless the row still
 * holds the fence's epoch and is not released, and issues the write's commit timestamp: the later of the database
 * clock and the lock's last issued timestamp plus 1 µs, so a group's timestamps strictly increase like Spanner's.
 * Timestamps are UTC instants whatever the session's time zone.
 *
 * <p>At READ COMMITTED a {@code FOR UPDATE} that waited for the lock returns the newest committed version of the row
 * (PostgreSQL re-reads it after the wait; it does not answer from the statement's snapshot): a write that queued
 * behind a takeover sees the new epoch and writes nothing ({@link FencedException}). A takeover that starts while a
 * fenced write holds the lock waits for that write to commit, so no write under a deposed epoch can commit after the
 * takeover that deposed it. The statements after the check take new snapshots (READ COMMITTED: one per statement),
 * after the lock was granted, and PostgreSQL grants a row lock only once the previous holder's commit is visible to
 * new snapshots: they see every write committed under the lock (the permit count of a grant, the rows a retried
 * append finds). At REPEATABLE READ they would not: the snapshot would be the check's, taken before the wait.
 */
final class JdbcFence {

	private final String fenceSql;

	private final String clockSql;

	private final String nowSql;

	JdbcFence(JdbcDialect dialect, String lockTable) {
		this.fenceSql = """
				SELECT "epoch", "incarnation", "clock", %s AS "now"
				FROM "%s" WHERE "name" = ? FOR UPDATE""".formatted(dialect.now(), lockTable);
		this.clockSql = "UPDATE \"%s\" SET \"clock\" = ? WHERE \"name\" = ?".formatted(lockTable);
		this.nowSql = "SELECT " + dialect.now();
	}

	/** The database clock, for unfenced writes. */
	OffsetDateTime now(JdbcCalls.Session session) throws SQLException {
		try (PreparedStatement statement = session.prepare(this.nowSql); ResultSet rs = statement.executeQuery()) {
			rs.next();
			return utc(rs.getObject(1, OffsetDateTime.class));
		}
	}

	OffsetDateTime checkAndStamp(JdbcCalls.Session session, Fence fence) throws SQLException {
		OffsetDateTime commit;
		try (PreparedStatement statement = session.prepare(this.fenceSql)) {
			statement.setString(1, fence.lockName());
			try (ResultSet rs = statement.executeQuery()) {
				if (!rs.next()) {
					throw new FencedException(fence, 0);
				}
				long epoch = rs.getLong("epoch");
				boolean skip = Failpoints.enabled(Failpoints.SKIP_FENCE_CHECK);
				if (!skip && !fence.admits(epoch, rs.getString("incarnation"))) {
					throw new FencedException(fence, epoch);
				}
				OffsetDateTime now = utc(rs.getObject("now", OffsetDateTime.class));
				OffsetDateTime last = rs.getObject("clock", OffsetDateTime.class);
				commit = (last != null && !now.isAfter(last)) ? utc(last).plusNanos(1000) : now;
			}
		}
		try (PreparedStatement statement = session.prepare(this.clockSql)) {
			statement.setObject(1, commit);
			statement.setString(2, fence.lockName());
			statement.executeUpdate();
		}
		return commit;
	}

	static OffsetDateTime utc(OffsetDateTime time) {
		return time.withOffsetSameInstant(ZoneOffset.UTC);
	}

}
