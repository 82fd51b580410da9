package dev.hedge.testsupport;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test class a fresh database on the Cloud Spanner emulator, injected as a {@link SpannerTestDatabase}
 * parameter (constructor, lifecycle or test method).
 *
 * <p>The emulator is the one named by {@code SPANNER_EMULATOR_HOST}, or one started from the gcloud SDK binary. When
 * neither exists the class is skipped with a loud message on standard error; with {@code CI=true} it fails instead,
 * so a green CI run always means the emulator tests ran.
 */
public final class SpannerEmulatorExtension implements BeforeAllCallback, ParameterResolver {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
		.create(SpannerEmulatorExtension.class);

	@Override
	public void beforeAll(ExtensionContext context) {
		database(context);
	}

	@Override
	public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
		return parameter.getParameter().getType() == SpannerTestDatabase.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
		SpannerTestDatabase database = database(context);
		if (database == null) {
			throw new ParameterResolutionException("no Spanner emulator");
		}
		return database;
	}

	private static SpannerTestDatabase database(ExtensionContext context) {
		ExtensionContext classContext = ClassScope.of(context);
		Holder holder = classContext.getStore(NAMESPACE).getOrComputeIfAbsent(Holder.class, (key) -> {
			SpannerEmulator emulator = requireEmulator(classContext.getRequiredTestClass().getSimpleName());
			return new Holder(new SpannerTestDatabase(emulator,
					emulator.createDatabase(classContext.getRequiredTestClass().getSimpleName())));
		}, Holder.class);
		return holder.database;
	}

	/**
	 * The shared emulator, or a skip (fail under {@code CI=true}) when there is none.
	 * @param who what needs it, for the message
	 * @return the emulator
	 */
	public static SpannerEmulator requireEmulator(String who) {
		return SpannerEmulator.shared().orElseGet(() -> {
			String message = "*** " + who + " needs the Cloud Spanner emulator: " + SpannerEmulator.unavailableReason();
			if (Ci.isCi()) {
				throw new IllegalStateException(message + " (CI=true: a missing emulator is a failure)");
			}
			System.err.println(message + " -- SKIPPED ***");
			Assumptions.abort(message);
			return null;
		});
	}

	private record Holder(SpannerTestDatabase database) implements ExtensionContext.Store.CloseableResource {

		@Override
		public void close() {
			this.database.emulator().dropDatabase(this.database.id());
		}

	}

}
