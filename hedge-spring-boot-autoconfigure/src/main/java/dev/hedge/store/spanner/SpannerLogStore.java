package dev.hedge.store.spanner;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.cloud.Timestamp;
import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.Key;
import com.google.cloud.spanner.KeySet;
import com.google.cloud.spanner.Mutation;
import com.google.cloud.spanner.ResultSet;
import com.google.cloud.spanner.Statement;
import com.google.cloud.spanner.Struct;
import com.google.cloud.spanner.TransactionContext;
import com.google.cloud.spanner.TransactionRunner;
import com.google.cloud.spanner.Value;

import dev.hedge.election.Fence;
import dev.hedge.election.FencedException;
import dev.hedge.kv.LogEntry;
import dev.hedge.kv.LogQuery;
import dev.hedge.kv.LogRecord;
import dev.hedge.kv.LogStore;

/**
 * {@link LogStore} on Spanner: one read-write transaction per append that reads the lease row (fence) and the
 * records' existing rows, then buffers the new rows with the commit timestamp.
 */
final class SpannerLogStore implements LogStore {

	private static final List<String> ROW_COLUMNS = List.of("key", "id", "timestamp");

	private final DatabaseClient client;

	private final SpannerCalls calls;

	private final String lockTable;

	private final String logTable;

	private final String selectSql;

	SpannerLogStore(DatabaseClient client, SpannerCalls calls, String lockTable, String logTable) {
		this.client = client;
		this.calls = calls;
		this.lockTable = lockTable;
		this.logTable = logTable;
		this.selectSql = "SELECT id, key, value, leader, timestamp FROM " + logTable
				+ " WHERE key = @key AND timestamp IS NOT NULL ORDER BY timestamp %s, id %s";
	}

	@Override
	public List<Instant> append(Fence fence, List<LogRecord> records, Duration timeout) {
		Map<KeyId, LogRecord> unique = new LinkedHashMap<>();
		for (LogRecord record : records) {
			unique.putIfAbsent(new KeyId(record.key(), record.id()), record);
		}
		TransactionRunner runner = this.client.readWriteTransaction();
		Map<KeyId, Instant> existing = this.calls.call("log append", timeout,
				() -> runner.run((tx) -> write(tx, fence, unique)));
		Instant commit = toInstant(runner.getCommitTimestamp());
		List<Instant> timestamps = new ArrayList<>(records.size());
		for (LogRecord record : records) {
			timestamps.add(existing.getOrDefault(new KeyId(record.key(), record.id()), commit));
		}
		return timestamps;
	}

	private Map<KeyId, Instant> write(TransactionContext tx, Fence fence, Map<KeyId, LogRecord> records) {
		Struct lease = tx.readRow(this.lockTable, Key.of(fence.lockName()), List.of("epoch", "incarnation"));
		long current = (lease == null) ? 0 : lease.getLong("epoch");
		if (lease == null || current != fence.epoch() || lease.isNull("incarnation")) {
			throw new FencedException(fence, current);
		}
		KeySet.Builder keys = KeySet.newBuilder();
		boolean any = false;
		for (KeyId keyId : records.keySet()) {
			if (!LogRecord.NO_APPEND_ID.equals(keyId.id())) {
				keys.addKey(Key.of(keyId.key(), keyId.id()));
				any = true;
			}
		}
		Map<KeyId, Instant> existing = new HashMap<>();
		if (any) {
			try (ResultSet rs = tx.read(this.logTable, keys.build(), ROW_COLUMNS)) {
				while (rs.next()) {
					if (!rs.isNull("timestamp")) {
						existing.put(new KeyId(rs.getString("key"), rs.getString("id")),
								toInstant(rs.getTimestamp("timestamp")));
					}
				}
			}
		}
		for (Map.Entry<KeyId, LogRecord> entry : records.entrySet()) {
			if (existing.containsKey(entry.getKey())) {
				continue;
			}
			LogRecord record = entry.getValue();
			tx.buffer(Mutation.newInsertOrUpdateBuilder(this.logTable)
				.set("id")
				.to(record.id())
				.set("key")
				.to(record.key())
				.set("value")
				.to(record.value())
				.set("leader")
				.to(record.writer())
				.set("timestamp")
				.to(Value.COMMIT_TIMESTAMP)
				.build());
		}
		return existing;
	}

	@Override
	public List<LogEntry> read(String key, LogQuery query, Duration timeout) {
		String order = query.oldestFirst() ? "ASC" : "DESC";
		String sql = this.selectSql.formatted(order, order) + ((query.limit() > 0) ? " LIMIT @limit" : "");
		Statement.Builder statement = Statement.newBuilder(sql).bind("key").to(key);
		if (query.limit() > 0) {
			statement.bind("limit").to(query.limit());
		}
		return this.calls.call("log read", timeout, () -> {
			List<LogEntry> entries = new ArrayList<>();
			try (ResultSet rs = this.client.singleUse().executeQuery(statement.build())) {
				while (rs.next()) {
					entries.add(new LogEntry(rs.getString("key"), rs.getString("id"),
							rs.isNull("value") ? null : rs.getString("value"),
							rs.isNull("leader") ? null : rs.getString("leader"), toInstant(rs.getTimestamp("timestamp"))));
				}
			}
			return entries;
		});
	}

	private static Instant toInstant(Timestamp timestamp) {
		return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
	}

	private record KeyId(String key, String id) {

	}

}
