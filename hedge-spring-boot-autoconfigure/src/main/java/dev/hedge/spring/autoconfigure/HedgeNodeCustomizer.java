package dev.hedge.spring.autoconfigure;

import dev.hedge.HedgeNode;

/**
 * Customizes the {@link HedgeNode} the auto-configuration builds, after {@link HedgeProperties} were applied (e.g. to
 * register stream handlers, observers, or a ticker). Applied in {@code @Order}.
 */
@FunctionalInterface
public interface HedgeNodeCustomizer {

	/**
	 * Customizes the builder.
	 * @param builder the node's builder
	 */
	void customize(HedgeNode.Builder builder);

}
