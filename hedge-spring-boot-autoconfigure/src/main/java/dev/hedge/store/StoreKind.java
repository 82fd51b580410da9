package dev.hedge.store;

import java.util.Locale;

import dev.hedge.common.HedgeConfigurationException;

/** The storage backends ({@code hedge.store}). */
public enum StoreKind {

	/**
	 * Spanner when it is configured, else the application's JDBC data source when it is not an embedded database,
	 * else the embedded store. Only valid as a setting.
	 */
	AUTO,

	/** Cloud Spanner (or its emulator). */
	SPANNER,

	/** The embedded database (H2 in file mode, shared by processes on one machine). */
	EMBEDDED,

	/** The application's JDBC data source (PostgreSQL; H2 for tests). */
	JDBC;

	/**
	 * Parses a {@code hedge.store} value.
	 * @param value the value ({@code auto}, {@code spanner}, {@code jdbc} or {@code embedded}, any case)
	 * @return the kind
	 * @throws HedgeConfigurationException for anything else
	 */
	public static StoreKind parse(String value) {
		if (value != null) {
			for (StoreKind kind : values()) {
				if (kind.name().equalsIgnoreCase(value.trim())) {
					return kind;
				}
			}
		}
		throw new HedgeConfigurationException("hedge.store",
				"unknown store '" + value + "'; use auto, spanner, jdbc or embedded");
	}

	/**
	 * The lower-case name shown in {@code /actuator/hedge}.
	 * @return the name
	 */
	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

}
