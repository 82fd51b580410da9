package dev.hedge.store.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.hedge.store.HedgeStore;
import dev.hedge.testsupport.EmbeddedDatabaseExtension;
import dev.hedge.testsupport.EmbeddedTestDatabase;
import dev.hedge.testsupport.Stores;

@ExtendWith(EmbeddedDatabaseExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedJdbcLockingTests extends AbstractJdbcLockingTests {

	private final JdbcDataSource source = new JdbcDataSource();

	private final EmbeddedTestDatabase database;

	EmbeddedJdbcLockingTests(EmbeddedTestDatabase database) {
		super(Stores.embedded(database));
		this.database = database;
		this.source.setURL("jdbc:h2:file:" + database.directory().toAbsolutePath().resolve("hedge")
				+ ";AUTO_SERVER=TRUE;LOCK_TIMEOUT=10000");
		this.source.setUser("sa");
	}

	@Override
	HedgeStore anotherStore() {
		return Stores.embedded(this.database);
	}

	@Override
	Connection connect() throws SQLException {
		return this.source.getConnection();
	}

	@Override
	boolean someoneWaitsForALock(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				// H2 names no blocker for an insert waiting on another transaction's uncommitted key
				ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS"
						+ " WHERE BLOCKER_ID IS NOT NULL OR (SESSION_ID <> SESSION_ID()"
						+ " AND EXECUTING_STATEMENT LIKE 'INSERT INTO \"hedge_lock\"%')")) {
			rs.next();
			return rs.getInt(1) > 0;
		}
	}

}
