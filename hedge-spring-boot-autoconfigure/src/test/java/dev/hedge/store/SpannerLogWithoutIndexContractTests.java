package dev.hedge.store;

import java.util.List;

import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.hedge.store.spanner.SpannerHedgeStore;
import dev.hedge.testsupport.SpannerEmulatorExtension;
import dev.hedge.testsupport.SpannerTestDatabase;

/**
 * The log contract on a Spanner log table without hedge's time index (as hedge-Go created it): reads fall back to
 * reading the key's rows and ordering them, with the same results.
 */
@ExtendWith(SpannerEmulatorExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpannerLogWithoutIndexContractTests extends AbstractLogStoreContractTests {

	SpannerLogWithoutIndexContractTests(SpannerTestDatabase database) throws Exception {
		super(open(database));
	}

	private static HedgeStore open(SpannerTestDatabase database) throws Exception {
		List<String> ddl = SchemaScript.statements("dev/hedge/store/spanner/schema.ddl", TableNames.defaults());
		database.admin()
			.updateDatabaseDdl(database.id().getInstanceId().getInstance(), database.name(),
					List.of(ddl.get(0), ddl.get(1), ddl.get(3)), null)
			.get();
		return SpannerHedgeStore.open(database.client(), database.admin(), database.id(), TableNames.defaults(), false);
	}

}
