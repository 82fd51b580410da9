package dev.hedge.store;

import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.hedge.testsupport.EmbeddedDatabaseExtension;
import dev.hedge.testsupport.EmbeddedTestDatabase;
import dev.hedge.testsupport.Stores;

@ExtendWith(EmbeddedDatabaseExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedChainConfigStoreContractTests extends AbstractChainConfigStoreContractTests {

	EmbeddedChainConfigStoreContractTests(EmbeddedTestDatabase database) {
		super(Stores.embedded(database));
	}

}
