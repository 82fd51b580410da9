package dev.hedge.replicator;

import org.junit.jupiter.api.extension.ExtendWith;

import dev.hedge.testsupport.SpannerEmulatorExtension;
import dev.hedge.testsupport.SpannerTestDatabase;
import dev.hedge.testsupport.Stores;

@ExtendWith(SpannerEmulatorExtension.class)
class SpannerReplicaDurabilityTests extends AbstractReplicaDurabilityTests {

	SpannerReplicaDurabilityTests(SpannerTestDatabase database) {
		super(Stores.spanner(database));
	}

}
