package dev.hedge.store.jdbc;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import dev.hedge.replicator.ReplicaSnapshotStore;

/**
 * {@link ReplicaSnapshotStore} over JDBC, in table {@code <log table>_crdt} (portable SQL: plain inserts, a
 * primary-key range delete, and a pruning record taken by insert-if-absent inside one transaction, whose concurrent
 * insert of the same key is retried by {@link JdbcCalls} and then finds the row). Pruning records are rows of
 * replica {@value #PRUNING} plus the pruned replica id, sequence 0, part 0, the pruner's id as data; reads of the
 * data rows skip them. Thread-safe.
 */
final class JdbcReplicaSnapshotStore implements ReplicaSnapshotStore {

	static final String PRUNING = "~pruning/";

	private final JdbcCalls calls;

	private final String insertSql;

	private final String readSql;

	private final String deleteSql;

	private final String recordSql;

	JdbcReplicaSnapshotStore(JdbcCalls calls, String table) {
		this.calls = calls;
		this.insertSql = """
				INSERT INTO "%s" ("group_name", "replica", "seq", "part", "data") VALUES (?, ?, ?, ?, ?)"""
			.formatted(table);
		this.readSql = """
				SELECT "replica", "seq", "part", "data" FROM "%s" WHERE "group_name" = ?""".formatted(table);
		this.deleteSql = """
				DELETE FROM "%s" WHERE "group_name" = ? AND "replica" = ? AND "seq" <= ?""".formatted(table);
		this.recordSql = """
				SELECT "data" FROM "%s" WHERE "group_name" = ? AND "replica" = ? AND "seq" = 0 AND "part" = 0"""
			.formatted(table);
	}

	@Override
	public void append(String group, String replica, long sequence, List<byte[]> parts, Duration timeout) {
		this.calls.call("replicated data append", timeout, true, (session) -> {
			try (PreparedStatement insert = session.prepare(this.insertSql)) {
				for (int part = 0; part < parts.size(); part++) {
					insert.setString(1, group);
					insert.setString(2, replica);
					insert.setLong(3, sequence);
					insert.setInt(4, part);
					insert.setBytes(5, parts.get(part));
					insert.addBatch();
				}
				insert.executeBatch();
			}
			return null;
		});
	}

	@Override
	public void readAll(String group, Consumer<Row> rows, Duration timeout) {
		this.calls.call("replicated data read", timeout, false, (session) -> {
			try (PreparedStatement read = session.prepare(this.readSql)) {
				read.setString(1, group);
				try (ResultSet rs = read.executeQuery()) {
					while (rs.next()) {
						String replica = rs.getString(1);
						if (!replica.startsWith(PRUNING)) {
							rows.accept(new Row(replica, rs.getLong(2), rs.getInt(3), rs.getBytes(4)));
						}
					}
				}
			}
			return null;
		});
	}

	@Override
	public int deleteUpTo(String group, String replica, long sequence, Duration timeout) {
		return this.calls.call("replicated data delete", timeout, false, (session) -> {
			try (PreparedStatement delete = session.prepare(this.deleteSql)) {
				delete.setString(1, group);
				delete.setString(2, replica);
				delete.setLong(3, sequence);
				return delete.executeUpdate();
			}
		});
	}

	@Override
	public String decidePruning(String group, String removed, String pruner, Duration timeout) {
		return this.calls.call("pruning record", timeout, true, (session) -> {
			try (PreparedStatement read = session.prepare(this.recordSql)) {
				read.setString(1, group);
				read.setString(2, PRUNING + removed);
				try (ResultSet rs = read.executeQuery()) {
					if (rs.next()) {
						return new String(rs.getBytes(1), StandardCharsets.UTF_8);
					}
				}
			}
			try (PreparedStatement insert = session.prepare(this.insertSql)) {
				insert.setString(1, group);
				insert.setString(2, PRUNING + removed);
				insert.setLong(3, 0);
				insert.setInt(4, 0);
				insert.setBytes(5, pruner.getBytes(StandardCharsets.UTF_8));
				insert.executeUpdate();
			}
			return pruner;
		});
	}

}
