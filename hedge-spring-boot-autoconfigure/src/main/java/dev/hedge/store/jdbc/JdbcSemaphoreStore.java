package dev.hedge.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import dev.hedge.election.Fence;
import dev.hedge.semaphore.SemaphoreRows;
import dev.hedge.semaphore.SemaphoreStore;

/**
 * {@link SemaphoreStore} over JDBC (H2). Every write first locks the lease row through {@link JdbcFence}, so grants
 * of one group are serialised and the count read in a grant cannot be stale.
 */
final class JdbcSemaphoreStore implements SemaphoreStore {

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
		this.fence = new JdbcFence(lockTable);
		this.readSql = "SELECT \"value\", \"timestamp\" FROM \"%s\" WHERE \"key\" = ? AND \"id\" = ?".formatted(logTable);
		this.countSql = "SELECT COUNT(*) FROM \"%s\" WHERE \"key\" = ? AND LEFT(\"id\", ?) = ?".formatted(logTable);
		this.insertSql = """
				INSERT INTO "%s" ("id", "key", "value", "leader", "timestamp") VALUES (?, ?, ?, ?, ?)"""
			.formatted(logTable);
		this.deleteSql = "DELETE FROM \"%s\" WHERE \"key\" = ? AND \"id\" = ?".formatted(logTable);
		this.permitsSql = "SELECT \"key\", \"id\", \"value\", \"timestamp\" FROM \"%s\" WHERE \"key\" = ? AND LEFT(\"id\", ?) = ?"
			.formatted(logTable);
		this.allPermitsSql = "SELECT \"key\", \"id\", \"value\", \"timestamp\" FROM \"%s\" WHERE LEFT(\"key\", ?) = ? AND LEFT(\"id\", ?) = ?"
			.formatted(logTable);
	}

	@Override
	public int define(Fence fence, String name, int limit, String writer, Duration timeout) {
		return this.calls.call("semaphore define", timeout, true, (session) -> {
			OffsetDateTime commit = this.fence.checkAndStamp(session, fence);
			OptionalInt existing = readLimit(session, name);
			if (existing.isPresent()) {
				return existing.getAsInt();
			}
			insert(session, SemaphoreRows.key(name), SemaphoreRows.DEFINITION_ID, Integer.toString(limit), writer,
					commit);
			return limit;
		});
	}

	@Override
	public Grant grant(Fence fence, String name, String permitId, String holder, String writer, Duration timeout) {
		return this.calls.call("semaphore grant", timeout, true, (session) -> {
			OffsetDateTime commit = this.fence.checkAndStamp(session, fence);
			OptionalInt limit = readLimit(session, name);
			if (limit.isEmpty()) {
				return new Grant(Grant.Status.NOT_FOUND, 0, null, false);
			}
			String key = SemaphoreRows.key(name);
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
				statement.setInt(2, SemaphoreRows.PERMIT_PREFIX.length());
				statement.setString(3, SemaphoreRows.PERMIT_PREFIX);
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
			return delete(session, SemaphoreRows.key(name), SemaphoreRows.permitRowId(permitId))
					? Optional.of(commit.toInstant()) : Optional.<Instant>empty();
		});
	}

	@Override
	public List<Revoked> revokeHolder(Fence fence, String holder, Duration timeout) {
		return this.calls.call("semaphore reclaim", timeout, true, (session) -> {
			OffsetDateTime commit = this.fence.checkAndStamp(session, fence);
			List<Revoked> revoked = new ArrayList<>();
			for (PermitRecord permit : all(session)) {
				if (permit.holder().equals(holder) && delete(session, SemaphoreRows.key(permit.semaphore()),
						SemaphoreRows.permitRowId(permit.permitId()))) {
					revoked.add(new Revoked(permit, commit.toInstant()));
				}
			}
			return revoked;
		});
	}

	@Override
	public List<PermitRecord> permits(String name, Duration timeout) {
		return this.calls.call("semaphore read", timeout, false, (session) -> {
			try (PreparedStatement statement = session.prepare(this.permitsSql)) {
				statement.setString(1, SemaphoreRows.key(name));
				statement.setInt(2, SemaphoreRows.PERMIT_PREFIX.length());
				statement.setString(3, SemaphoreRows.PERMIT_PREFIX);
				return records(statement);
			}
		});
	}

	@Override
	public List<PermitRecord> allPermits(Duration timeout) {
		return this.calls.call("semaphore read", timeout, false, this::all);
	}

	private List<PermitRecord> all(JdbcCalls.Session session) throws SQLException {
		try (PreparedStatement statement = session.prepare(this.allPermitsSql)) {
			statement.setInt(1, SemaphoreRows.KEY_PREFIX.length());
			statement.setString(2, SemaphoreRows.KEY_PREFIX);
			statement.setInt(3, SemaphoreRows.PERMIT_PREFIX.length());
			statement.setString(4, SemaphoreRows.PERMIT_PREFIX);
			return records(statement);
		}
	}

	@Override
	public OptionalInt limit(String name, Duration timeout) {
		return this.calls.call("semaphore read", timeout, false, (session) -> readLimit(session, name));
	}

	private OptionalInt readLimit(JdbcCalls.Session session, String name) throws SQLException {
		try (PreparedStatement read = session.prepare(this.readSql)) {
			read.setString(1, SemaphoreRows.key(name));
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

	private boolean delete(JdbcCalls.Session session, String key, String id) throws SQLException {
		try (PreparedStatement delete = session.prepare(this.deleteSql)) {
			delete.setString(1, key);
			delete.setString(2, id);
			return delete.executeUpdate() == 1;
		}
	}

	private static List<PermitRecord> records(PreparedStatement statement) throws SQLException {
		List<PermitRecord> permits = new ArrayList<>();
		try (ResultSet rs = statement.executeQuery()) {
			while (rs.next()) {
				permits.add(new PermitRecord(SemaphoreRows.name(rs.getString("key")),
						SemaphoreRows.permitId(rs.getString("id")), rs.getString("value"),
						rs.getObject("timestamp", OffsetDateTime.class).toInstant()));
			}
		}
		return permits;
	}

}
