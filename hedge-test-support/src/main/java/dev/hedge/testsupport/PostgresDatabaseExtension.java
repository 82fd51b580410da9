package dev.hedge.testsupport;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test class a fresh PostgreSQL database ({@code CREATE DATABASE}, dropped after the class), injected as
 * a {@link PostgresTestDatabase} parameter (constructor, lifecycle or test method).
 *
 * <p>The server is the one named by {@code HEDGE_TEST_POSTGRES_URL}, or one started from Debian's PostgreSQL
 * binaries ({@link PostgresServer#shared()}). When neither exists the class is skipped with a loud message on
 * standard error; with {@code CI=true} it fails instead, so a green CI run always means the PostgreSQL tests ran.
 */
public final class PostgresDatabaseExtension implements BeforeAllCallback, ParameterResolver {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
		.create(PostgresDatabaseExtension.class);

	@Override
	public void beforeAll(ExtensionContext context) {
		database(context);
	}

	@Override
	public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
		return parameter.getParameter().getType() == PostgresTestDatabase.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
		PostgresTestDatabase database = database(context);
		if (database == null) {
			throw new ParameterResolutionException("no PostgreSQL");
		}
		return database;
	}

	private static PostgresTestDatabase database(ExtensionContext context) {
		ExtensionContext classContext = ClassScope.of(context);
		return classContext.getStore(NAMESPACE).getOrComputeIfAbsent(Holder.class, (key) -> {
			String name = classContext.getRequiredTestClass().getSimpleName();
			return new Holder(PostgresTestDatabase.create(requireServer(name), name));
		}, Holder.class).database;
	}

	/**
	 * The shared server, or a skip (fail under {@code CI=true}) when there is none.
	 * @param who what needs it, for the message
	 * @return the server
	 */
	public static PostgresServer requireServer(String who) {
		return PostgresServer.shared().orElseGet(() -> {
			String message = "*** " + who + " needs PostgreSQL: " + PostgresServer.unavailableReason();
			if (Ci.isCi()) {
				throw new IllegalStateException(message + " (CI=true: a missing PostgreSQL is a failure)");
			}
			System.err.println(message + " -- SKIPPED ***");
			Assumptions.abort(message);
			return null;
		});
	}

	private record Holder(PostgresTestDatabase database) implements ExtensionContext.Store.CloseableResource {

		@Override
		public void close() {
			this.database.close();
		}

	}

}
