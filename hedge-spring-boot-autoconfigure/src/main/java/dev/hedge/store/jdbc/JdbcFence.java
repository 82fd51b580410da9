package dev.hedge.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import dev.hedge.election.Fence;
import dev.hedge.election.FencedException;

/**
 * The fence check every leader-side JDBC write runs first, inside its own transaction: it locks the lease row
 * ({@code FOR UPDATE}, so leader-side writes and takeovers of one group serialise on it), throws unless the row still
 * holds the fence's epoch and is not released, and issues the write's commit timestamp — the later of the database
 * clock and the lock's last issued timestamp plus 1 µs, so timestamps strictly increase like Spanner's.
 */
final class JdbcFence {

	private final String fenceSql;

	private final String clockSql;

	JdbcFence(String lockTable) {
		this.fenceSql = """
				SELECT "epoch", "incarnation", "clock", CURRENT_TIMESTAMP(9) AS "now"
				FROM "%s" WHERE "name" = ? FOR UPDATE""".formatted(lockTable);
		this.clockSql = "UPDATE \"%s\" SET \"clock\" = ? WHERE \"name\" = ?".formatted(lockTable);
	}

	/** The database clock, for unfenced writes. */
	OffsetDateTime now(JdbcCalls.Session session) throws SQLException {
		try (PreparedStatement statement = session.prepare("SELECT CURRENT_TIMESTAMP(9)");
				ResultSet rs = statement.executeQuery()) {
			rs.next();
			return rs.getObject(1, OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC);
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
				boolean skip = dev.hedge.common.Failpoints.enabled(dev.hedge.common.Failpoints.SKIP_FENCE_CHECK);
				if (!skip && (epoch != fence.epoch() || rs.getString("incarnation") == null)) {
					throw new FencedException(fence, epoch);
				}
				OffsetDateTime now = rs.getObject("now", OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC);
				OffsetDateTime last = rs.getObject("clock", OffsetDateTime.class);
				commit = (last != null && !now.isAfter(last))
						? last.withOffsetSameInstant(ZoneOffset.UTC).plusNanos(1000) : now;
			}
		}
		try (PreparedStatement statement = session.prepare(this.clockSql)) {
			statement.setObject(1, commit);
			statement.setString(2, fence.lockName());
			statement.executeUpdate();
		}
		return commit;
	}

}
