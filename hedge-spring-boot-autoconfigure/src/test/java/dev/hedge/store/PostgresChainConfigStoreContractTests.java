package dev.hedge.store;

import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.hedge.testsupport.PostgresDatabaseExtension;
import dev.hedge.testsupport.PostgresTestDatabase;
import dev.hedge.testsupport.Stores;

@ExtendWith(PostgresDatabaseExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresChainConfigStoreContractTests extends AbstractChainConfigStoreContractTests {

	PostgresChainConfigStoreContractTests(PostgresTestDatabase database) {
		super(Stores.postgres(database));
	}

}
