package dev.hedge.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

import dev.hedge.election.AcquireResult;
import dev.hedge.election.LeaseClaim;
import dev.hedge.election.LeaseRecord;
import dev.hedge.election.LeaseStore;

/**
 * {@link LeaseStore} over JDBC (H2). Expiry is judged with the database's {@code CURRENT_TIMESTAMP}; takeover locks
 * the row ({@code FOR UPDATE}) inside one transaction, and a concurrent first insert loses on the primary key.
 */
final class JdbcLeaseStore implements LeaseStore {

	private static final long NO_HEARTBEAT_AGE = Long.MAX_VALUE / 4;

	private final JdbcCalls calls;

	private final String readSql;

	private final String insertSql;

	private final String takeSql;

	private final String renewSql;

	private final String releaseSql;

	private final String unconditionalRenewSql;

	private final String tokenSql;

	JdbcLeaseStore(JdbcCalls calls, String table) {
		this.calls = calls;
		this.readSql = """
				SELECT "writer", "incarnation", "epoch", "lease_ms",
				  DATEDIFF(MILLISECOND, "heartbeat", CURRENT_TIMESTAMP(9)) AS "age"
				FROM "%s" WHERE "name" = ?""".formatted(table);
		this.insertSql = """
				INSERT INTO "%s" ("name", "writer", "incarnation", "epoch", "lease_ms", "heartbeat", "token")
				VALUES (?, ?, ?, ?, ?, CURRENT_TIMESTAMP(9), CURRENT_TIMESTAMP(9))""".formatted(table);
		this.takeSql = """
				UPDATE "%s" SET "writer" = ?, "incarnation" = ?, "epoch" = ?, "lease_ms" = ?,
				  "heartbeat" = CURRENT_TIMESTAMP(9), "token" = CURRENT_TIMESTAMP(9)
				WHERE "name" = ?""".formatted(table);
		this.renewSql = """
				UPDATE "%s" SET "heartbeat" = CURRENT_TIMESTAMP(9)
				WHERE "name" = ? AND "incarnation" = ? AND "epoch" = ?
				  AND DATEDIFF(MILLISECOND, "heartbeat", CURRENT_TIMESTAMP(9)) <= "lease_ms\"""".formatted(table);
		this.tokenSql = "SELECT \"token\" FROM \"%s\" WHERE \"name\" = ?".formatted(table);
		this.unconditionalRenewSql = "UPDATE \"%s\" SET \"heartbeat\" = CURRENT_TIMESTAMP(9) WHERE \"name\" = ?"
			.formatted(table) + " AND ? IS NOT NULL AND ? IS NOT NULL";
		this.releaseSql = """
				UPDATE "%s" SET "writer" = NULL, "incarnation" = NULL
				WHERE "name" = ? AND "incarnation" = ? AND "epoch" = ?""".formatted(table);
	}

	@Override
	public LeaseRecord read(String lockName, Duration timeout) {
		return this.calls.call("lease read", timeout, false, (session) -> read(session, lockName, false));
	}

	private LeaseRecord read(JdbcCalls.Session session, String lockName, boolean forUpdate) throws SQLException {
		try (PreparedStatement statement = session.prepare(this.readSql + (forUpdate ? " FOR UPDATE" : ""))) {
			statement.setString(1, lockName);
			try (ResultSet rs = statement.executeQuery()) {
				if (!rs.next()) {
					return LeaseRecord.absent();
				}
				long age = rs.getLong("age");
				if (rs.wasNull()) {
					age = NO_HEARTBEAT_AGE;
				}
				return new LeaseRecord(rs.getString("writer"), rs.getString("incarnation"), rs.getLong("epoch"),
						rs.getLong("lease_ms"), age);
			}
		}
	}

	@Override
	public AcquireResult tryAcquire(String lockName, LeaseClaim claim, Duration timeout) {
		return this.calls.call("lease takeover", timeout, true, (session) -> {
			LeaseRecord current = read(session, lockName, true);
			if (!current.claimableBy(claim)) {
				return AcquireResult.lost(current);
			}
			long epoch = current.epoch() + 1;
			if (current.epoch() == 0) {
				try (PreparedStatement insert = session.prepare(this.insertSql)) {
					insert.setString(1, lockName);
					insert.setString(2, claim.holder());
					insert.setString(3, claim.incarnation());
					insert.setLong(4, epoch);
					insert.setLong(5, claim.leaseMillis());
					insert.executeUpdate();
				}
			}
			else {
				try (PreparedStatement take = session.prepare(this.takeSql)) {
					take.setString(1, claim.holder());
					take.setString(2, claim.incarnation());
					take.setLong(3, epoch);
					take.setLong(4, claim.leaseMillis());
					take.setString(5, lockName);
					take.executeUpdate();
				}
			}
			java.time.Instant at;
			try (PreparedStatement token = session.prepare(this.tokenSql)) {
				token.setString(1, lockName);
				try (ResultSet rs = token.executeQuery()) {
					rs.next();
					at = rs.getObject(1, java.time.OffsetDateTime.class).toInstant();
				}
			}
			return new AcquireResult(true,
					new LeaseRecord(claim.holder(), claim.incarnation(), epoch, claim.leaseMillis(), 0), at);
		});
	}

	@Override
	public boolean renew(String lockName, String incarnation, long epoch, Duration timeout) {
		String sql = dev.hedge.common.Failpoints.enabled(dev.hedge.common.Failpoints.UNCONDITIONAL_RENEW)
				? this.unconditionalRenewSql : this.renewSql;
		return conditionalUpdate("lease renewal", sql, lockName, incarnation, epoch, timeout);
	}

	@Override
	public boolean release(String lockName, String incarnation, long epoch, Duration timeout) {
		return conditionalUpdate("lease release", this.releaseSql, lockName, incarnation, epoch, timeout);
	}

	private boolean conditionalUpdate(String what, String sql, String lockName, String incarnation, long epoch,
			Duration timeout) {
		return this.calls.call(what, timeout, false, (session) -> {
			try (PreparedStatement statement = session.prepare(sql)) {
				statement.setString(1, lockName);
				statement.setString(2, incarnation);
				statement.setLong(3, epoch);
				return statement.executeUpdate() == 1;
			}
		});
	}

}
