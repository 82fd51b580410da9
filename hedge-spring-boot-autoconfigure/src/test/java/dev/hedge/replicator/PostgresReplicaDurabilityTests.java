package dev.hedge.replicator;

import org.junit.jupiter.api.extension.ExtendWith;

import dev.hedge.testsupport.PostgresDatabaseExtension;
import dev.hedge.testsupport.PostgresTestDatabase;
import dev.hedge.testsupport.Stores;

@ExtendWith(PostgresDatabaseExtension.class)
class PostgresReplicaDurabilityTests extends AbstractReplicaDurabilityTests {

	PostgresReplicaDurabilityTests(PostgresTestDatabase database) {
		super(Stores.postgres(database));
	}

}
