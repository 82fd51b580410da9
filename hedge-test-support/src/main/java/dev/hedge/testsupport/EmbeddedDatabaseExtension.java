package dev.hedge.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test class a fresh, empty directory for the embedded store, injected as an {@link EmbeddedTestDatabase}
 * parameter, and deletes it after the class.
 */
public final class EmbeddedDatabaseExtension implements BeforeAllCallback, ParameterResolver {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
		.create(EmbeddedDatabaseExtension.class);

	@Override
	public void beforeAll(ExtensionContext context) {
		database(context);
	}

	@Override
	public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
		return parameter.getParameter().getType() == EmbeddedTestDatabase.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
		return database(context);
	}

	private static EmbeddedTestDatabase database(ExtensionContext context) {
		ExtensionContext classContext = ClassScope.of(context);
		String name = classContext.getRequiredTestClass().getSimpleName();
		return classContext.getStore(NAMESPACE).getOrComputeIfAbsent(Holder.class, (key) -> {
			try {
				return new Holder(new EmbeddedTestDatabase(Files.createTempDirectory("hedge-" + name + "-")));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}, Holder.class).database;
	}

	private record Holder(EmbeddedTestDatabase database) implements ExtensionContext.Store.CloseableResource {

		@Override
		public void close() throws IOException {
			try (Stream<Path> files = Files.walk(this.database.directory())) {
				files.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
			}
		}

	}

}
