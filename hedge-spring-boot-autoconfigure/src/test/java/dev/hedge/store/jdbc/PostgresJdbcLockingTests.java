package dev.hedge.store.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.hedge.store.HedgeStore;
import dev.hedge.testsupport.PostgresDatabaseExtension;
import dev.hedge.testsupport.PostgresTestDatabase;
import dev.hedge.testsupport.Stores;

@ExtendWith(PostgresDatabaseExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresJdbcLockingTests extends AbstractJdbcLockingTests {

	private final PostgresTestDatabase database;

	PostgresJdbcLockingTests(PostgresTestDatabase database) {
		super(Stores.postgres(database));
		this.database = database;
	}

	@Override
	HedgeStore anotherStore() {
		return Stores.postgres(this.database);
	}

	@Override
	Connection connect() throws SQLException {
		return this.database.connect();
	}

	@Override
	boolean someoneWaitsForALock(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM pg_stat_activity"
						+ " WHERE datname = current_database() AND wait_event_type = 'Lock'")) {
			rs.next();
			return rs.getInt(1) > 0;
		}
	}

}
