package dev.hedge.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.hedge.election.Fence;
import dev.hedge.election.FencedException;
import dev.hedge.kv.LogEntry;
import dev.hedge.kv.LogQuery;
import dev.hedge.kv.LogRecord;
import dev.hedge.kv.LogStore;

/**
 * {@link LogStore} over JDBC (H2). An append locks the lease row (fence check), takes the commit timestamp as the
 * later of the database clock and the lock's last issued timestamp plus 1 µs (so log timestamps strictly increase,
 * like Spanner's commit timestamps for overlapping writes), skips rows that already exist, and commits once.
 */
final class JdbcLogStore implements LogStore {

	private final JdbcCalls calls;

	private final String fenceSql;

	private final String clockSql;

	private final String existsSql;

	private final String insertSql;

	private final String mergeSql;

	private final String selectSql;

	JdbcLogStore(JdbcCalls calls, String lockTable, String logTable) {
		this.calls = calls;
		this.fenceSql = """
				SELECT "epoch", "incarnation", "clock", CURRENT_TIMESTAMP(9) AS "now"
				FROM "%s" WHERE "name" = ? FOR UPDATE""".formatted(lockTable);
		this.clockSql = "UPDATE \"%s\" SET \"clock\" = ? WHERE \"name\" = ?".formatted(lockTable);
		this.existsSql = "SELECT \"timestamp\" FROM \"%s\" WHERE \"key\" = ? AND \"id\" = ?".formatted(logTable);
		this.insertSql = """
				INSERT INTO "%s" ("id", "key", "value", "leader", "timestamp") VALUES (?, ?, ?, ?, ?)"""
			.formatted(logTable);
		this.mergeSql = """
				MERGE INTO "%s" ("id", "key", "value", "leader", "timestamp") KEY ("key", "id") VALUES (?, ?, ?, ?, ?)"""
			.formatted(logTable);
		this.selectSql = """
				SELECT "id", "key", "value", "leader", "timestamp" FROM "%s"
				WHERE "key" = ? AND "timestamp" IS NOT NULL ORDER BY "timestamp" %%s, "id" %%s""".formatted(logTable);
	}

	@Override
	public List<Instant> append(Fence fence, List<LogRecord> records, Duration timeout) {
		return this.calls.call("log append", timeout, true, (session) -> {
			OffsetDateTime commit = fenceAndClock(session, fence);
			Map<String, Instant> existing = new HashMap<>();
			Map<String, LogRecord> unique = new LinkedHashMap<>();
			for (LogRecord record : records) {
				unique.putIfAbsent(keyId(record), record);
			}
			try (PreparedStatement exists = session.prepare(this.existsSql);
					PreparedStatement insert = session.prepare(this.insertSql);
					PreparedStatement merge = session.prepare(this.mergeSql)) {
				for (LogRecord record : unique.values()) {
					if (!record.noAppend()) {
						exists.setString(1, record.key());
						exists.setString(2, record.id());
						try (ResultSet rs = exists.executeQuery()) {
							if (rs.next() && rs.getObject(1) != null) {
								existing.put(keyId(record), rs.getObject(1, OffsetDateTime.class).toInstant());
								continue;
							}
						}
					}
					PreparedStatement target = record.noAppend() ? merge : insert;
					target.setString(1, record.id());
					target.setString(2, record.key());
					target.setString(3, record.value());
					target.setString(4, record.writer());
					target.setObject(5, commit);
					target.addBatch();
				}
				insert.executeBatch();
				merge.executeBatch();
			}
			List<Instant> timestamps = new ArrayList<>(records.size());
			for (LogRecord record : records) {
				timestamps.add(existing.getOrDefault(keyId(record), commit.toInstant()));
			}
			return timestamps;
		});
	}

	private OffsetDateTime fenceAndClock(JdbcCalls.Session session, Fence fence) throws SQLException {
		OffsetDateTime commit;
		try (PreparedStatement statement = session.prepare(this.fenceSql)) {
			statement.setString(1, fence.lockName());
			try (ResultSet rs = statement.executeQuery()) {
				if (!rs.next()) {
					throw new FencedException(fence, 0);
				}
				long epoch = rs.getLong("epoch");
				if (epoch != fence.epoch() || rs.getString("incarnation") == null) {
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

	@Override
	public List<LogEntry> read(String key, LogQuery query, Duration timeout) {
		String order = query.oldestFirst() ? "ASC" : "DESC";
		String sql = this.selectSql.formatted(order, order)
				+ ((query.limit() > 0) ? " FETCH FIRST " + query.limit() + " ROWS ONLY" : "");
		return this.calls.call("log read", timeout, false, (session) -> {
			List<LogEntry> entries = new ArrayList<>();
			try (PreparedStatement statement = session.prepare(sql)) {
				statement.setString(1, key);
				try (ResultSet rs = statement.executeQuery()) {
					while (rs.next()) {
						entries.add(new LogEntry(rs.getString("key"), rs.getString("id"), rs.getString("value"),
								rs.getString("leader"), rs.getObject("timestamp", OffsetDateTime.class).toInstant()));
					}
				}
			}
			return entries;
		});
	}

	private static String keyId(LogRecord record) {
		return record.key().length() + ":" + record.key() + record.id();
	}

}
