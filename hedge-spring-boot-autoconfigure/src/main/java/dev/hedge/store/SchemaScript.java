package dev.hedge.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A DDL script shipped in the library's resources, with {@code ${lock_table}}, {@code ${log_table}} and
 * {@code ${chain_table}} placeholders.
 * Internal to the store adapters.
 */
public final class SchemaScript {

	private SchemaScript() {
	}

	/**
	 * Loads a script and returns its statements with the table names filled in.
	 * @param resource classpath resource, e.g. {@code dev/hedge/store/spanner/schema.ddl}
	 * @param tables the table names
	 * @return the statements, without comments and trailing semicolons
	 */
	public static List<String> statements(String resource, TableNames tables) {
		String text;
		try (InputStream in = SchemaScript.class.getClassLoader().getResourceAsStream(resource)) {
			if (in == null) {
				throw new IllegalStateException("missing resource " + resource);
			}
			text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		StringBuilder code = new StringBuilder();
		for (String line : text.split("\n")) {
			String trimmed = line.strip();
			if (!trimmed.startsWith("--")) {
				code.append(line).append('\n');
			}
		}
		String filled = code.toString()
			.replace("${lock_table}", tables.lockTable())
			.replace("${log_table}", tables.logTable())
			.replace("${chain_table}", tables.chainTable());
		List<String> statements = new ArrayList<>();
		for (String statement : filled.split(";")) {
			if (!statement.isBlank()) {
				statements.add(statement.strip());
			}
		}
		return statements;
	}

}
