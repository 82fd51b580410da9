package dev.hedge.spring.autoconfigure;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

import dev.hedge.store.StoreKind;

/**
 * Which store {@code hedge.store} selects: {@code spanner}, {@code jdbc}, {@code embedded}, or for {@code auto}, in
 * this order: Spanner exactly when spring-cloud-gcp's Spanner is configured (an instance id and a database, or the
 * emulator enabled); else the application's {@code DataSource} when there is one and it is not an embedded database
 * (decided when the store bean is created, see {@link HedgeStoreConfigurations}); else the embedded store.
 */
final class StoreSelection {

	private StoreSelection() {
	}

	static StoreKind configured(Environment environment) {
		String value = environment.getProperty("hedge.store", "auto");
		return StoreKind.parse(value);
	}

	static boolean spannerConfigured(Environment environment) {
		boolean emulator = environment.getProperty("spring.cloud.gcp.spanner.emulator.enabled", Boolean.class, false);
		boolean instance = hasText(environment.getProperty("spring.cloud.gcp.spanner.instance-id"))
				&& hasText(environment.getProperty("spring.cloud.gcp.spanner.database"));
		return emulator || instance;
	}

	static boolean spannerSelected(Environment environment) {
		StoreKind kind = configured(environment);
		return kind == StoreKind.SPANNER || (kind == StoreKind.AUTO && spannerConfigured(environment));
	}

	private static boolean hasText(String value) {
		return value != null && !value.isBlank();
	}

	/** Matches when the Spanner store is selected. */
	static final class OnSpanner implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return spannerSelected(context.getEnvironment());
		}

	}

	/** Matches when Spanner was asked for explicitly. */
	static final class OnSpannerRequired implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return configured(context.getEnvironment()) == StoreKind.SPANNER;
		}

	}

	/** Matches when the JDBC store may be selected: {@code jdbc}, or {@code auto} without Spanner configured. */
	static final class OnJdbc implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			StoreKind kind = configured(context.getEnvironment());
			return kind == StoreKind.JDBC || (kind == StoreKind.AUTO && !spannerConfigured(context.getEnvironment()));
		}

	}

	/** Matches when the JDBC store was asked for explicitly. */
	static final class OnJdbcRequired implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return configured(context.getEnvironment()) == StoreKind.JDBC;
		}

	}

	/**
	 * Matches when the embedded store may be selected: {@code embedded}, or {@code auto} without Spanner configured
	 * (and, the store bean being missing, without a DataSource).
	 */
	static final class OnEmbedded implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			StoreKind kind = configured(context.getEnvironment());
			return kind == StoreKind.EMBEDDED
					|| (kind == StoreKind.AUTO && !spannerConfigured(context.getEnvironment()));
		}

	}

}
