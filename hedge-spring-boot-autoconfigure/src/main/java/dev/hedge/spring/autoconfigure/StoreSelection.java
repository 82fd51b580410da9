package dev.hedge.spring.autoconfigure;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

import dev.hedge.store.StoreKind;

/**
 * Which store {@code hedge.store} selects: {@code spanner}, {@code embedded}, or for {@code auto} Spanner exactly when
 * spring-cloud-gcp's Spanner is configured (an instance id and a database, or the emulator enabled).
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

	/** Matches when the embedded store is selected. */
	static final class OnEmbedded implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return !spannerSelected(context.getEnvironment());
		}

	}

}
