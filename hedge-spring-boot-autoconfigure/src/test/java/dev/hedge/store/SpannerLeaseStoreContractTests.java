package dev.hedge.store;

import java.util.List;

import com.google.cloud.spanner.Key;
import com.google.cloud.spanner.Mutation;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.hedge.testsupport.SpannerEmulatorExtension;
import dev.hedge.testsupport.SpannerTestDatabase;
import dev.hedge.testsupport.Stores;

@ExtendWith(SpannerEmulatorExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpannerLeaseStoreContractTests extends AbstractLeaseStoreContractTests {

	private final SpannerTestDatabase database;

	SpannerLeaseStoreContractTests(SpannerTestDatabase database) {
		super(Stores.spanner(database));
		this.database = database;
	}

	@Override
	void deleteLeaseRow(String lock) {
		this.database.client().write(List.of(Mutation.delete(TableNames.DEFAULT_LOCK_TABLE, Key.of(lock))));
	}

}
