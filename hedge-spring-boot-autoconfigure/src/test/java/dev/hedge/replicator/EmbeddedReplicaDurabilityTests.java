package dev.hedge.replicator;

import org.junit.jupiter.api.extension.ExtendWith;

import dev.hedge.testsupport.EmbeddedDatabaseExtension;
import dev.hedge.testsupport.EmbeddedTestDatabase;
import dev.hedge.testsupport.Stores;

@ExtendWith(EmbeddedDatabaseExtension.class)
class EmbeddedReplicaDurabilityTests extends AbstractReplicaDurabilityTests {

	EmbeddedReplicaDurabilityTests(EmbeddedTestDatabase database) {
		super(Stores.embedded(database));
	}

}
