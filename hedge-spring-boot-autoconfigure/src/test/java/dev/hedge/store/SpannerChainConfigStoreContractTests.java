package dev.hedge.store;

import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.hedge.testsupport.SpannerEmulatorExtension;
import dev.hedge.testsupport.SpannerTestDatabase;
import dev.hedge.testsupport.Stores;

@ExtendWith(SpannerEmulatorExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpannerChainConfigStoreContractTests extends AbstractChainConfigStoreContractTests {

	SpannerChainConfigStoreContractTests(SpannerTestDatabase database) {
		super(Stores.spanner(database));
	}

}
