package dev.hedge.testsupport;

import com.google.cloud.spanner.DatabaseAdminClient;
import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.DatabaseId;
import com.google.cloud.spanner.Spanner;

/**
 * A fresh, empty database on the Spanner emulator, created for one test class by {@link SpannerEmulatorExtension}.
 *
 * @param emulator the emulator holding it
 * @param id the database
 */
public record SpannerTestDatabase(SpannerEmulator emulator, DatabaseId id) {

	/**
	 * The shared client of the emulator (do not close it).
	 * @return the client
	 */
	public Spanner spanner() {
		return this.emulator.spanner();
	}

	/**
	 * A data client for this database.
	 * @return the client
	 */
	public DatabaseClient client() {
		return spanner().getDatabaseClient(this.id);
	}

	/**
	 * The admin client of the emulator.
	 * @return the client
	 */
	public DatabaseAdminClient admin() {
		return spanner().getDatabaseAdminClient();
	}

	/**
	 * The emulator address, as {@code SPANNER_EMULATOR_HOST} would give it.
	 * @return {@code host:port}
	 */
	public String emulatorHost() {
		return this.emulator.host();
	}

	/**
	 * The database name without project and instance.
	 * @return the name
	 */
	public String name() {
		return this.id.getDatabase();
	}

}
