package dev.hedge.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;

import dev.hedge.chain.ChainConfig;
import dev.hedge.chain.ChainConfigConflictException;
import dev.hedge.chain.ChainConfigStore;
import dev.hedge.election.Fence;

/**
 * {@link ChainConfigStore} over JDBC, in portable SQL: a write locks the group's lease row through {@link JdbcFence}
 * (so a group's configuration writes serialise on it and a deposed leader's fails), reads the stored version in the
 * same transaction, and inserts the first row or updates the row only where it still holds the previous version.
 */
final class JdbcChainConfigStore implements ChainConfigStore {

	private final JdbcCalls calls;

	private final JdbcFence fence;

	private final String readSql;

	private final String insertSql;

	private final String updateSql;

	JdbcChainConfigStore(JdbcCalls calls, String lockTable, String chainTable) {
		this.calls = calls;
		this.fence = new JdbcFence(calls.dialect(), lockTable);
		this.readSql = """
				SELECT "version", "epoch", "members" FROM "%s" WHERE "name" = ? AND "chain" = ?""".formatted(chainTable);
		this.insertSql = """
				INSERT INTO "%s" ("name", "chain", "version", "epoch", "members", "writer", "updated")
				VALUES (?, ?, ?, ?, ?, ?, ?)""".formatted(chainTable);
		this.updateSql = """
				UPDATE "%s" SET "version" = ?, "epoch" = ?, "members" = ?, "writer" = ?, "updated" = ?
				WHERE "name" = ? AND "chain" = ? AND "version" = ?""".formatted(chainTable);
	}

	@Override
	public Optional<ChainConfig> read(String group, String chain, Duration timeout) {
		return this.calls.call("chain configuration read", timeout, false, (session) -> read(session, group, chain));
	}

	private Optional<ChainConfig> read(JdbcCalls.Session session, String group, String chain) throws SQLException {
		try (PreparedStatement statement = session.prepare(this.readSql)) {
			statement.setString(1, group);
			statement.setString(2, chain);
			try (ResultSet rs = statement.executeQuery()) {
				if (!rs.next()) {
					return Optional.empty();
				}
				return Optional.of(ChainConfig.parse(rs.getLong("version"), rs.getLong("epoch"),
						rs.getString("members")));
			}
		}
	}

	@Override
	public void write(Fence fence, String chain, ChainConfig config, String writer, Duration timeout) {
		String group = fence.lockName();
		this.calls.call("chain configuration write", timeout, true, (session) -> {
			OffsetDateTime commit = this.fence.checkAndStamp(session, fence);
			long stored = read(session, group, chain).map(ChainConfig::version).orElse(0L);
			if (stored != config.version() - 1) {
				throw new ChainConfigConflictException(group, chain, config.version(), stored);
			}
			if (stored == 0) {
				try (PreparedStatement insert = session.prepare(this.insertSql)) {
					insert.setString(1, group);
					insert.setString(2, chain);
					insert.setLong(3, config.version());
					insert.setLong(4, config.epoch());
					insert.setString(5, config.membersText());
					insert.setString(6, writer);
					insert.setObject(7, commit);
					insert.executeUpdate();
				}
				return null;
			}
			try (PreparedStatement update = session.prepare(this.updateSql)) {
				update.setLong(1, config.version());
				update.setLong(2, config.epoch());
				update.setString(3, config.membersText());
				update.setString(4, writer);
				update.setObject(5, commit);
				update.setString(6, group);
				update.setString(7, chain);
				update.setLong(8, stored);
				if (update.executeUpdate() != 1) {
					throw new ChainConfigConflictException(group, chain, config.version(), stored);
				}
			}
			return null;
		});
	}

}
