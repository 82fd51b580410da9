package dev.hedge.chaos.history;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One nemesis event: a fault injected into the cluster and, when it has one, its healing.
 *
 * <p>Immutable and therefore thread-safe.
 *
 * @param kind what was done: {@code kill}, {@code pause}, {@code terminate}, {@code partition}, ...
 * @param target the member (or other component, such as {@code db}) it was done to
 * @param startNanos {@code System.nanoTime()} when the fault was injected
 * @param endNanos {@code System.nanoTime()} when it was healed; {@link Long#MAX_VALUE} when never healed
 * @param detail free text, or {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Fault(String kind, String target, long startNanos, long endNanos, String detail) {

	@JsonCreator
	static Fault fromJson(@JsonProperty("kind") String kind, @JsonProperty("target") String target,
			@JsonProperty("startNanos") long startNanos, @JsonProperty("endNanos") Long endNanos,
			@JsonProperty("detail") String detail) {
		return new Fault(kind, target, startNanos, Nanos.orNever(endNanos), detail);
	}

}
