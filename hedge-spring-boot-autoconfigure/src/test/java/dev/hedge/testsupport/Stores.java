package dev.hedge.testsupport;

import java.util.List;

import dev.hedge.store.HedgeStore;
import dev.hedge.store.TableNames;
import dev.hedge.store.jdbc.JdbcHedgeStore;
import dev.hedge.store.spanner.SpannerHedgeStore;

/** Opens hedge stores on the test databases the extensions hand out. */
public final class Stores {

	private Stores() {
	}

	/**
	 * A Spanner store on a fresh test database, tables created.
	 * @param database the database
	 * @return the store
	 */
	public static HedgeStore spanner(SpannerTestDatabase database) {
		return SpannerHedgeStore.open(database.client(), database.admin(), database.id(), TableNames.defaults(), true);
	}

	/**
	 * An embedded store in a fresh directory.
	 * @param database the directory
	 * @return the store
	 */
	public static HedgeStore embedded(EmbeddedTestDatabase database) {
		return JdbcHedgeStore.embedded(database.directory(), true);
	}

	/**
	 * A store on the application-style pool of a fresh PostgreSQL database, tables created.
	 * @param database the database
	 * @return the store (closing it leaves the pool open; the extension closes it)
	 */
	public static HedgeStore postgres(PostgresTestDatabase database) {
		return JdbcHedgeStore.open(database.dataSource(), TableNames.defaults(), true, JdbcHedgeStore.Properties.JDBC);
	}

	/**
	 * The backends as parameters for parameterised tests.
	 * @return the names
	 */
	public static List<String> backends() {
		return List.of("embedded", "spanner");
	}

}
