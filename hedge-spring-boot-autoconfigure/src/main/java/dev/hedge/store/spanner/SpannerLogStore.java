package dev.hedge.store.spanner;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.Key;
import com.google.cloud.spanner.KeySet;
import com.google.cloud.spanner.Mutation;
import com.google.cloud.spanner.ResultSet;
import com.google.cloud.spanner.Options;
import com.google.cloud.spanner.TransactionContext;
import com.google.cloud.spanner.TransactionRunner;
import com.google.cloud.spanner.Value;

import dev.hedge.election.Fence;
import dev.hedge.kv.LogEntry;
import dev.hedge.kv.LogQuery;
import dev.hedge.kv.LogRecord;
import dev.hedge.kv.LogStore;
import dev.hedge.kv.NoAppendSlot;

/**
 * {@link LogStore} on Spanner: one read-write transaction per append that reads the lease row (fence) and the
 * records' existing rows, then buffers the new rows with the commit timestamp.
 */
final class SpannerLogStore implements LogStore {

	private static final List<String> ROW_COLUMNS = List.of("key", "id", "leader", "timestamp");

	private final DatabaseClient client;

	private final SpannerCalls calls;

	private final String lockTable;

	private final String logTable;

	private static final List<String> ENTRY_COLUMNS = List.of("key", "id", "value", "leader", "timestamp");

	/** Newest first, ties (direct writes) by row id ascending: the time index's own order, so get and history agree. */
	private static final Comparator<LogEntry> NEWEST_FIRST = Comparator.comparing(LogEntry::timestamp)
		.reversed()
		.thenComparing(LogEntry::id);

	private final String timeIndex;

	SpannerLogStore(DatabaseClient client, SpannerCalls calls, String lockTable, String logTable, String timeIndex) {
		this.client = client;
		this.calls = calls;
		this.lockTable = lockTable;
		this.logTable = logTable;
		this.timeIndex = timeIndex;
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
		Instant commit = SpannerCalls.instant(runner.getCommitTimestamp());
		List<Instant> timestamps = new ArrayList<>(records.size());
		for (LogRecord record : records) {
			timestamps.add(existing.getOrDefault(new KeyId(record.key(), record.id()), commit));
		}
		return timestamps;
	}

	private Map<KeyId, Instant> write(TransactionContext tx, Fence fence, Map<KeyId, LogRecord> records) {
		if (fence != null) {
			SpannerFence.check(tx, this.lockTable, fence);
		}
		KeySet.Builder keys = KeySet.newBuilder();
		for (KeyId keyId : records.keySet()) {
			keys.addKey(Key.of(keyId.key(), keyId.id()));
		}
		Map<KeyId, Instant> existing = new HashMap<>();
		Map<KeyId, String> slots = new HashMap<>();
		try (ResultSet rs = tx.read(this.logTable, keys.build(), ROW_COLUMNS)) {
			while (rs.next()) {
				KeyId keyId = new KeyId(rs.getString("key"), rs.getString("id"));
				String leader = rs.isNull("leader") ? null : rs.getString("leader");
				if (LogRecord.NO_APPEND_ID.equals(keyId.id())) {
					slots.put(keyId, leader);
					if (!rs.isNull("timestamp") && NoAppendSlot.applied(leader, records.get(keyId).putId())) {
						existing.put(keyId, SpannerCalls.instant(rs.getTimestamp("timestamp")));
					}
				}
				else if (!rs.isNull("timestamp")) {
					existing.put(keyId, SpannerCalls.instant(rs.getTimestamp("timestamp")));
				}
			}
		}
		for (Map.Entry<KeyId, LogRecord> entry : records.entrySet()) {
			if (existing.containsKey(entry.getKey())) {
				continue;
			}
			LogRecord record = entry.getValue();
			String leader = record.noAppend()
					? NoAppendSlot.column(record.writer(), slots.get(entry.getKey()), record.putId()) : record.writer();
			tx.buffer(Mutation.newInsertOrUpdateBuilder(this.logTable)
				.set("id")
				.to(record.id())
				.set("key")
				.to(record.key())
				.set("value")
				.to(record.value())
				.set("leader")
				.to(leader)
				.set("timestamp")
				.to(Value.COMMIT_TIMESTAMP)
				.build());
		}
		return existing;
	}

	/**
	 * Reads with key-range reads (never SQL: a key's rows are a primary-key prefix, and the time index gives the
	 * newest first, so "latest" and "N newest" read only N rows). Without the index, the key's whole history is read
	 * and ordered here.
	 */
	@Override
	public List<LogEntry> read(String key, LogQuery query, Duration timeout) {
		boolean useIndex = this.timeIndex != null && !query.oldestFirst();
		return this.calls.call("log read", timeout, () -> {
			List<LogEntry> entries = new ArrayList<>();
			KeySet keys = KeySet.prefixRange(Key.of(key));
			try (ResultSet rs = useIndex
					? (query.limit() > 0)
							? this.client.singleUse()
								.readUsingIndex(this.logTable, this.timeIndex, keys, ENTRY_COLUMNS,
										Options.limit(query.limit()))
							: this.client.singleUse().readUsingIndex(this.logTable, this.timeIndex, keys, ENTRY_COLUMNS)
					: this.client.singleUse().read(this.logTable, keys, ENTRY_COLUMNS)) {
				while (rs.next()) {
					if (!rs.isNull("timestamp")) {
						entries.add(new LogEntry(rs.getString("key"), rs.getString("id"),
								rs.isNull("value") ? null : rs.getString("value"),
								rs.isNull("leader") ? null : NoAppendSlot.writer(rs.getString("leader")),
								SpannerCalls.instant(rs.getTimestamp("timestamp"))));
					}
				}
			}
			entries.sort(query.oldestFirst() ? NEWEST_FIRST.reversed() : NEWEST_FIRST);
			return (query.limit() > 0 && entries.size() > query.limit()) ? entries.subList(0, query.limit()) : entries;
		});
	}

	private record KeyId(String key, String id) {

	}

}
