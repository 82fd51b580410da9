package dev.hedge.chaos.member;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Which store a chaos member runs on, as the system property {@value #PROPERTY} names it:
 * <ul>
 * <li>{@code spanner} (the default): the Spanner emulator at {@code chaos.db}, database {@code chaos.database};</li>
 * <li>{@code embedded:<directory>}: hedge's embedded store (H2 in file mode with {@code AUTO_SERVER}) in that
 * directory, shared by every member process that names the same directory whatever its group;</li>
 * <li>{@code jdbc:<url>}: a server database reached over JDBC (such as PostgreSQL). Reserved: parsed, so the harness
 * and the members agree on the form, but no member opens one yet (see {@code MemberStore}).</li>
 * </ul>
 *
 * <p>Immutable and therefore thread-safe.
 *
 * @param kind the kind of store
 * @param location the embedded store's directory or the JDBC url; empty for Spanner
 */
public record StoreSpec(Kind kind, String location) {

	/** The system property a member reads its store from. */
	public static final String PROPERTY = "chaos.store";

	private static final String EMBEDDED_PREFIX = "embedded:";

	private static final String JDBC_PREFIX = "jdbc:";

	/**
	 * Checks the location against the kind.
	 */
	public StoreSpec {
		if (kind == null) {
			throw new IllegalArgumentException("no store kind");
		}
		location = (location != null) ? location : "";
		if (kind != Kind.SPANNER && location.isBlank()) {
			throw new IllegalArgumentException("a " + kind.name().toLowerCase(Locale.ROOT) + " store needs a "
					+ ((kind == Kind.EMBEDDED) ? "directory" : "url"));
		}
	}

	/**
	 * Parses a value of {@value #PROPERTY}.
	 * @param text {@code spanner}, {@code embedded:<directory>} or {@code jdbc:<url>}; {@code null} or blank means
	 * {@code spanner}
	 * @return the spec
	 * @throws IllegalArgumentException for any other text
	 */
	public static StoreSpec parse(String text) {
		String value = (text != null) ? text.trim() : "";
		if (value.isEmpty() || value.equalsIgnoreCase("spanner")) {
			return spanner();
		}
		if (value.startsWith(EMBEDDED_PREFIX)) {
			return new StoreSpec(Kind.EMBEDDED, value.substring(EMBEDDED_PREFIX.length()));
		}
		if (value.startsWith(JDBC_PREFIX)) {
			return new StoreSpec(Kind.JDBC, value);
		}
		throw new IllegalArgumentException(PROPERTY + " must be spanner, embedded:<directory> or jdbc:<url>, not "
				+ value);
	}

	/**
	 * The Spanner emulator (today's default).
	 * @return the spec
	 */
	public static StoreSpec spanner() {
		return new StoreSpec(Kind.SPANNER, "");
	}

	/**
	 * The embedded store in a directory.
	 * @param directory the directory (made absolute, so every member names the same one)
	 * @return the spec
	 */
	public static StoreSpec embedded(Path directory) {
		return new StoreSpec(Kind.EMBEDDED, directory.toAbsolutePath().normalize().toString());
	}

	/**
	 * The value of {@value #PROPERTY} that {@link #parse(String) parses} back to this spec.
	 * @return the text
	 */
	public String text() {
		return switch (this.kind) {
			case SPANNER -> "spanner";
			case EMBEDDED -> EMBEDDED_PREFIX + this.location;
			case JDBC -> this.location;
		};
	}

	@Override
	public String toString() {
		return text();
	}

	/** The kinds of store a member can run on. Immutable and therefore thread-safe. */
	public enum Kind {

		/** The Spanner emulator. */
		SPANNER,

		/** hedge's embedded H2 store in a directory. */
		EMBEDDED,

		/** A server database over JDBC (reserved). */
		JDBC

	}

}
