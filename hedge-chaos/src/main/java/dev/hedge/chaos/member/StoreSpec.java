package dev.hedge.chaos.member;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Which store a chaos member runs on, as the system property {@value #PROPERTY} names it:
 * <ul>
 * <li>{@code spanner} (the default): the Spanner emulator at {@code chaos.db}, database {@code chaos.database};</li>
 * <li>{@code embedded:<directory>}: hedge's embedded store (H2 in file mode with {@code AUTO_SERVER}) in that
 * directory, shared by every member process that names the same directory whatever its group;</li>
 * <li>{@code jdbc:<url>}: a server database reached over JDBC (PostgreSQL), as the role {@value #JDBC_USER} names with
 * the password {@value #JDBC_PASSWORD}; a member with a database link ({@code chaos.db}, its DB-link proxy) connects to
 * that host:port instead of the url's ({@link #jdbcUrl(String)}).</li>
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

	/** The system property with the role a member connects to a {@code jdbc:} store as. */
	public static final String JDBC_USER = "chaos.jdbc.user";

	/** The system property with that role's password. */
	public static final String JDBC_PASSWORD = "chaos.jdbc.password";

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
	 * A server database over JDBC.
	 * @param url its JDBC url ({@code jdbc:postgresql://host:port/database})
	 * @return the spec
	 */
	public static StoreSpec jdbc(String url) {
		if (url == null || !url.startsWith(JDBC_PREFIX)) {
			throw new IllegalArgumentException("not a JDBC url: " + url);
		}
		return new StoreSpec(Kind.JDBC, url);
	}

	/**
	 * The JDBC url a member connects to: the url with its host and port replaced by those of the member's database link
	 * (its DB-link proxy), so every byte between the member and the database passes the proxy.
	 * @param link host:port of the link ({@code chaos.db}); {@code null} or blank keeps the url's own
	 * @return the url
	 * @throws IllegalStateException for a store that is not {@link Kind#JDBC}
	 * @throws IllegalArgumentException for a url without a {@code //host[:port]} part, or with several hosts (a
	 * link has one address)
	 */
	public String jdbcUrl(String link) {
		if (this.kind != Kind.JDBC) {
			throw new IllegalStateException("a " + this.kind.name().toLowerCase(Locale.ROOT) + " store has no JDBC url");
		}
		if (link == null || link.isBlank()) {
			return this.location;
		}
		int slashes = this.location.indexOf("://");
		if (slashes < 0) {
			throw new IllegalArgumentException(this.location + " names no //host:port to replace by " + link);
		}
		int start = slashes + 3;
		int end = start;
		while (end < this.location.length() && "/?;".indexOf(this.location.charAt(end)) < 0) {
			end++;
		}
		String authority = this.location.substring(start, end);
		if (authority.isEmpty() || authority.contains(",")) {
			throw new IllegalArgumentException(this.location + " must name exactly one host to be reached through "
					+ link);
		}
		return this.location.substring(0, start) + link.trim() + this.location.substring(end);
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

		/** A server database over JDBC (PostgreSQL). */
		JDBC

	}

}
