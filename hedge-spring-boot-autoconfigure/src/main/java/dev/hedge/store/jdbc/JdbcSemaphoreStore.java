package dev.hedge.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import dev.hedge.election.Fence;
import dev.hedge.semaphore.SemaphoreRows;
import dev.hedge.semaphore.SemaphoreStore;

/**
 * {@link SemaphoreStore} over JDBC. Every write first locks the group's lease row through {@link JdbcFence}, so the
 * group's grants, releases and reclaims are serialised and the count read in a grant cannot be stale: at READ
 * COMMITTED the count is a statement of its own, whose snapshot is taken after the lock was granted, so it includes
 * every permit committed by the grant that held the lock before (see {@link JdbcFence}; at REPEATABLE READ a grant that
 * waited would count from before its wait and over-grant); a semaphore's rows belong to one group
 * ({@link SemaphoreRows#key(String, String)}), so two groups in one table never count or touch each other's permits.
 * Every read is a primary-key point or range read ({@code key} and {@code id} bounded by prefix ranges), never a scan
 * of the log, and a reclaim deletes by primary key.
 */
final class JdbcSemaphoreStore implements SemaphoreStore {

	private static final String PERMITS_FROM = SemaphoreRows.PERMIT_PREFIX;

	private static final String PERMITS_TO = SemaphoreRows.prefixEnd(SemaphoreRows.PERMIT_PREFIX);

	private final JdbcCalls calls;

	private final JdbcFence fence;

	private final String readSql;

	private final String countSql;

	private final String insertSql;

	private final String deleteSql;

	private final String permitsSql;

	private final String allPermitsSql;

	JdbcSemaphoreStore(JdbcCalls calls, String lockTable, String logTable) {
		this.calls = calls;
		this.fence = new JdbcFence(calls.dialect(), lockTable);
		this.readSql = "SELECT \"value\", \"timestamp\" FROM \"%s\" WHERE \"key\" = ? AND \"id\" = ?".formatted(logTable);
		this.countSql = "SELECT COUNT(*) FROM \"%s\" WHERE \"key\" = ? AND \"id\" >= ? AND \"id\" < ?"
			.formatted(logTable);
		this.insertSql = """
				INSERT INTO "%s" ("id", "key", "value", "leader", "timestamp") VALUES (?, ?, ?, ?, ?)"""
			.formatted(logTable);
		this.deleteSql = "DELETE FROM \"%s\" WHERE \"key\" = ? AND \"id\" = ? AND \"value\" = ?".formatted(logTable);
		this.permitsSql = """
				SELECT "key", "id", "value", "timestamp" FROM "%s"
				WHERE "key" = ? AND "id" >= ? AND "id" < ?""".formatted(logTable);
		this.allPermitsSql = """
				SELECT "key", "id", "value", "timestamp" FROM "%s"
				WHERE "key" >= ? AND "key" < ? AND "id" >= ? AND "id" < ?""".formatted(logTable);
	}

	/** The SQL of every read, for checking their plans. */
	List<String> readStatements() {
		return List.of(this.readSql, this.countSql, this.permitsSql, this.allPermitsSql);
	}

	@Override
	public int define(Fence fence, String name, int limit, String writer, Duration timeout) {
		return this.calls.call("semaphore define", timeout, true, (session) -> {
			OffsetDateTime commit = this.fence.checkAndStamp(session, fence);
			String key = SemaphoreRows.key(fence.lockName(), name);
			OptionalInt existing = readLimit(session, key);
			if (existing.isPresent()) {
				return existing.getAsInt();
			}
			insert(session, key, SemaphoreRows.DEFINITION_ID, Integer.toString(limit), writer, commit);
			return limit;
		});
	}

	@Override
	public Grant grant(Fence fence, String name, String permitId, String holder, String writer, Duration timeout) {
		return this.calls.call("semaphore grant", timeout, true, (session) -> {
			OffsetDateTime commit = this.fence.checkAndStamp(session, fence);
			String key = SemaphoreRows.key(fence.lockName(), name);
			OptionalInt limit = readLimit(session, key);
			if (limit.isEmpty()) {
				return new Grant(Grant.Status.NOT_FOUND, 0, null, false);
			}
			try (PreparedStatement read = session.prepare(this.readSql)) {
				read.setString(1, key);
				read.setString(2, SemaphoreRows.permitRowId(permitId));
				try (ResultSet rs = read.executeQuery()) {
					if (rs.next()) {
						return new Grant(Grant.Status.GRANTED, limit.getAsInt(),
								rs.getObject("timestamp", OffsetDateTime.class).toInstant(), false);
					}
				}
			}
			long count;
			try (PreparedStatement statement = session.prepare(this.countSql)) {
				statement.setString(1, key);
				statement.setString(2, PERMITS_FROM);
				statement.setString(3, PERMITS_TO);
				try (ResultSet rs = statement.executeQuery()) {
					rs.next();
					count = rs.getLong(1);
				}
			}
			if (count >= limit.getAsInt()) {
				return new Grant(Grant.Status.FULL, limit.getAsInt(), null, false);
			}
			insert(session, key, SemaphoreRows.permitRowId(permitId), holder, writer, commit);
			return new Grant(Grant.Status.GRANTED, limit.getAsInt(), commit.toInstant(), true);
		});
	}

	@Override
	public Optional<Instant> revoke(Fence fence, String name, String permitId, Duration timeout) {
		return this.calls.call("semaphore release", timeout, true, (session) -> {
			OffsetDateTime commit = this.fence.checkAndStamp(session, fence);
			String key = SemaphoreRows.key(fence.lockName(), name);
			String rowId = SemaphoreRows.permitRowId(permitId);
			String holder;
			try (PreparedStatement read = session.prepare(this.readSql)) {
				read.setString(1, key);
				read.setString(2, rowId);
				try (ResultSet rs = read.executeQuery()) {
					if (!rs.next()) {
						return Optional.<Instant>empty();
					}
					holder = rs.getString("value");
				}
			}
			return delete(session, key, rowId, holder) ? Optional.of(commit.toInstant()) : Optional.<Instant>empty();
		});
	}

	@Override
	public List<Revoked> revokeExactly(Fence fence, Collection<PermitRecord> permits, Duration timeout) {
		if (permits.isEmpty()) {
			return List.of();
		}
		return this.calls.call("semaphore reclaim", timeout, true, (session) -> {
			OffsetDateTime commit = this.fence.checkAndStamp(session, fence);
			List<Revoked> revoked = new ArrayList<>();
			for (PermitRecord permit : permits) {
				if (delete(session, SemaphoreRows.key(fence.lockName(), permit.semaphore()),
						SemaphoreRows.permitRowId(permit.permitId()), permit.holder())) {
					revoked.add(new Revoked(permit, commit.toInstant()));
				}
			}
			return revoked;
		});
	}

	@Override
	public List<PermitRecord> permits(String group, String name, Duration timeout) {
		return this.calls.call("semaphore read", timeout, false, (session) -> {
			try (PreparedStatement statement = session.prepare(this.permitsSql)) {
				statement.setString(1, SemaphoreRows.key(group, name));
				statement.setString(2, PERMITS_FROM);
				statement.setString(3, PERMITS_TO);
				return records(statement, group);
			}
		});
	}

	@Override
	public List<PermitRecord> allPermits(String group, Duration timeout) {
		return this.calls.call("semaphore read", timeout, false, (session) -> {
			String prefix = SemaphoreRows.groupPrefix(group);
			try (PreparedStatement statement = session.prepare(this.allPermitsSql)) {
				statement.setString(1, prefix);
				statement.setString(2, SemaphoreRows.prefixEnd(prefix));
				statement.setString(3, PERMITS_FROM);
				statement.setString(4, PERMITS_TO);
				return records(statement, group);
			}
		});
	}

	@Override
	public OptionalInt limit(String group, String name, Duration timeout) {
		return this.calls.call("semaphore read", timeout, false,
				(session) -> readLimit(session, SemaphoreRows.key(group, name)));
	}

	private OptionalInt readLimit(JdbcCalls.Session session, String key) throws SQLException {
		try (PreparedStatement read = session.prepare(this.readSql)) {
			read.setString(1, key);
			read.setString(2, SemaphoreRows.DEFINITION_ID);
			try (ResultSet rs = read.executeQuery()) {
				return rs.next() ? OptionalInt.of(Integer.parseInt(rs.getString("value"))) : OptionalInt.empty();
			}
		}
	}

	private void insert(JdbcCalls.Session session, String key, String id, String value, String writer,
			OffsetDateTime commit) throws SQLException {
		try (PreparedStatement insert = session.prepare(this.insertSql)) {
			insert.setString(1, id);
			insert.setString(2, key);
			insert.setString(3, value);
			insert.setString(4, writer);
			insert.setObject(5, commit);
			insert.executeUpdate();
		}
	}

	private boolean delete(JdbcCalls.Session session, String key, String id, String holder) throws SQLException {
		try (PreparedStatement delete = session.prepare(this.deleteSql)) {
			delete.setString(1, key);
			delete.setString(2, id);
			delete.setString(3, holder);
			return delete.executeUpdate() == 1;
		}
	}

	private static List<PermitRecord> records(PreparedStatement statement, String group) throws SQLException {
		List<PermitRecord> permits = new ArrayList<>();
		try (ResultSet rs = statement.executeQuery()) {
			while (rs.next()) {
				Optional<String> name = SemaphoreRows.name(group, rs.getString("key"));
				if (name.isPresent()) {
					permits.add(new PermitRecord(name.get(), SemaphoreRows.permitId(rs.getString("id")),
							rs.getString("value"), rs.getObject("timestamp", OffsetDateTime.class).toInstant()));
				}
			}
		}
		return permits;
	}

}
