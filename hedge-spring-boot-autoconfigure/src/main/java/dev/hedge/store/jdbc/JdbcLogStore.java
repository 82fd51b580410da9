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
import java.util.Optional;

import dev.hedge.election.Fence;
import dev.hedge.kv.LogEntry;
import dev.hedge.kv.LogQuery;
import dev.hedge.kv.LogRecord;
import dev.hedge.kv.LogStore;
import dev.hedge.kv.NoAppendSlot;

/**
 * {@link LogStore} over JDBC. An append locks the lease row (fence check), takes the commit timestamp as the later of
 * the database clock and the lock's last issued timestamp plus 1 µs (so log timestamps strictly increase, like
 * Spanner's commit timestamps for overlapping writes), skips rows that already exist, writes a no-append slot unless
 * it already applied that put ({@link NoAppendSlot}), and commits once. Portable SQL: no {@code MERGE}, the slot is
 * updated, or inserted when absent. The existence check runs after the lease row's lock (see {@link JdbcFence}), so at
 * READ COMMITTED it sees every row an earlier attempt of the same put committed, and a retried put is not written
 * twice. Unfenced ({@code DIRECT}) writes take no lock: two inserting the same slot conflict on the primary key, and
 * the loser's transaction is re-run and updates the slot.
 */
final class JdbcLogStore implements LogStore {

	private final JdbcCalls calls;

	private final JdbcFence fence;

	private final String existsSql;

	private final String insertSql;

	private final String slotSql;

	private final String updateSlotSql;

	private final String selectSql;

	JdbcLogStore(JdbcCalls calls, String lockTable, String logTable) {
		this.calls = calls;
		this.fence = new JdbcFence(calls.dialect(), lockTable);
		this.existsSql = "SELECT \"key\", \"id\", \"timestamp\" FROM \"%s\" WHERE (\"key\", \"id\") IN ("
			.formatted(logTable);
		this.insertSql = """
				INSERT INTO "%s" ("id", "key", "value", "leader", "timestamp") VALUES (?, ?, ?, ?, ?)"""
			.formatted(logTable);
		this.slotSql = "SELECT \"leader\", \"timestamp\" FROM \"%s\" WHERE \"key\" = ? AND \"id\" = ?"
			.formatted(logTable);
		this.updateSlotSql = """
				UPDATE "%s" SET "value" = ?, "leader" = ?, "timestamp" = ? WHERE "key" = ? AND "id" = ?"""
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
			try (PreparedStatement insert = session.prepare(this.insertSql)) {
				int inserts = 0;
				for (LogRecord record : unique.values()) {
					if (record.noAppend()) {
						writeSlot(session, record, commit).ifPresent((at) -> existing.put(keyId(record), at));
					}
					else if (!existing.containsKey(keyId(record))) {
						bind(insert, record, record.writer(), commit);
						insert.addBatch();
						inserts++;
					}
				}
				if (inserts > 0) {
					insert.executeBatch();
				}
			}
			List<Instant> timestamps = new ArrayList<>(records.size());
			for (LogRecord record : records) {
				timestamps.add(existing.getOrDefault(keyId(record), commit.toInstant()));
			}
			return timestamps;
		});
	}

	/**
	 * Writes a no-append slot, unless it already applied this put.
	 * @return the slot's timestamp when the put was applied before (nothing written), else empty
	 */
	private Optional<Instant> writeSlot(JdbcCalls.Session session, LogRecord record, OffsetDateTime commit)
			throws SQLException {
		String previous = null;
		boolean present = false;
		try (PreparedStatement read = session.prepare(this.slotSql)) {
			read.setString(1, record.key());
			read.setString(2, record.id());
			try (ResultSet rs = read.executeQuery()) {
				if (rs.next()) {
					present = true;
					previous = rs.getString("leader");
					OffsetDateTime stamp = rs.getObject("timestamp", OffsetDateTime.class);
					if (NoAppendSlot.applied(previous, record.putId()) && stamp != null) {
						return Optional.of(stamp.toInstant());
					}
				}
			}
		}
		String leader = NoAppendSlot.column(record.writer(), previous, record.putId());
		if (present) {
			try (PreparedStatement update = session.prepare(this.updateSlotSql)) {
				update.setString(1, record.value());
				update.setString(2, leader);
				update.setObject(3, commit);
				update.setString(4, record.key());
				update.setString(5, record.id());
				update.executeUpdate();
			}
		}
		else {
			// two unfenced (direct) writers inserting the same slot at once: one fails on the primary key and its
			// transaction is retried, then finds the slot
			try (PreparedStatement insert = session.prepare(this.insertSql)) {
				bind(insert, record, leader, commit);
				insert.executeUpdate();
			}
		}
		return Optional.empty();
	}

	private static void bind(PreparedStatement statement, LogRecord record, String leader, OffsetDateTime commit)
			throws SQLException {
		statement.setString(1, record.id());
		statement.setString(2, record.key());
		statement.setString(3, record.value());
		statement.setString(4, leader);
		statement.setObject(5, commit);
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
		// newest first with ties (direct writes) by row id ascending, as Spanner's time index orders them; oldest
		// first is the exact reverse
		String sql = (query.oldestFirst() ? this.selectSql.formatted("ASC", "DESC") : this.selectSql.formatted("DESC", "ASC"))
				+ ((query.limit() > 0) ? " FETCH FIRST " + query.limit() + " ROWS ONLY" : "");
		return this.calls.call("log read", timeout, false, (session) -> {
			List<LogEntry> entries = new ArrayList<>();
			try (PreparedStatement statement = session.prepare(sql)) {
				statement.setString(1, key);
				try (ResultSet rs = statement.executeQuery()) {
					while (rs.next()) {
						entries.add(new LogEntry(rs.getString("key"), rs.getString("id"), rs.getString("value"),
								NoAppendSlot.writer(rs.getString("leader")),
								rs.getObject("timestamp", OffsetDateTime.class).toInstant()));
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
