package dev.hedge.store;

import java.sql.Connection;
import java.sql.PreparedStatement;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.hedge.testsupport.EmbeddedDatabaseExtension;
import dev.hedge.testsupport.EmbeddedTestDatabase;
import dev.hedge.testsupport.Stores;

@ExtendWith(EmbeddedDatabaseExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedLeaseStoreContractTests extends AbstractLeaseStoreContractTests {

	private final EmbeddedTestDatabase database;

	EmbeddedLeaseStoreContractTests(EmbeddedTestDatabase database) {
		super(Stores.embedded(database));
		this.database = database;
	}

	@Override
	void deleteLeaseRow(String lock) throws Exception {
		JdbcDataSource source = new JdbcDataSource();
		source.setURL("jdbc:h2:file:" + this.database.directory().toAbsolutePath().resolve("hedge") + ";AUTO_SERVER=TRUE");
		source.setUser("sa");
		try (Connection connection = source.getConnection();
				PreparedStatement delete = connection
					.prepareStatement("DELETE FROM \"" + TableNames.DEFAULT_LOCK_TABLE + "\" WHERE \"name\" = ?")) {
			delete.setString(1, lock);
			delete.executeUpdate();
		}
	}

}
