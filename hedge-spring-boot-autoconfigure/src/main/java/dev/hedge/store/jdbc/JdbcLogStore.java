package dev.hedge.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.hedge.election.Fence;
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

	private final JdbcFence fence;

	private final String existsSql;

	private final String insertSql;

	private final String mergeSql;

	private final String selectSql;

	JdbcLogStore(JdbcCalls calls, String lockTable, String logTable) {
		this.calls = calls;
		this.fence = new JdbcFence(lockTable);
		this.existsSql = "SELECT \"key\", \"id\", \"timestamp\" FROM \"%s\" WHERE (\"key\", \"id\") IN ("
			.formatted(logTable);
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
			OffsetDateTime commit = (fence != null) ? this.fence.checkAndStamp(session, fence) : this.fence.now(session);
			Map<String, LogRecord> unique = new LinkedHashMap<>();
			for (LogRecord record : records) {
				unique.putIfAbsent(keyId(record), record);
			}
			Map<String, Instant> existing = existing(session, unique.values());
			try (PreparedStatement insert = session.prepare(this.insertSql);
					PreparedStatement merge = session.prepare(this.mergeSql)) {
				for (LogRecord record : unique.values()) {
					if (existing.containsKey(keyId(record))) {
						continue;
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

	/** The rows among {@code records} (no-append slots excluded) that already exist, with one query. */
	private Map<String, Instant> existing(JdbcCalls.Session session, Collection<LogRecord> records)
			throws SQLException {
		List<LogRecord> appended = records.stream().filter((record) -> !record.noAppend()).toList();
		Map<String, Instant> existing = new HashMap<>();
		if (appended.isEmpty()) {
			return existing;
		}
		String sql = this.existsSql + String.join(", ", Collections.nCopies(appended.size(), "(?, ?)")) + ")";
		try (PreparedStatement statement = session.prepare(sql)) {
			int index = 1;
			for (LogRecord record : appended) {
				statement.setString(index++, record.key());
				statement.setString(index++, record.id());
			}
			try (ResultSet rs = statement.executeQuery()) {
				while (rs.next()) {
					OffsetDateTime stamp = rs.getObject(3, OffsetDateTime.class);
					if (stamp != null) {
						existing.put(keyId(rs.getString(1), rs.getString(2)), stamp.toInstant());
					}
				}
			}
		}
		return existing;
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
		return keyId(record.key(), record.id());
	}

	private static String keyId(String key, String id) {
		return key.length() + ":" + key + id;
	}

}
