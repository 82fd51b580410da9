package dev.hedge.chaos.check;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The outcome of one checker: a {@link Status}, named figures ({@code counts}, in a stable order), the total number
 * of violations and the descriptions of the first {@value #MAX_DESCRIPTIONS} problems found.
 *
 * <p>{@code descriptions} holds violations and, for an {@link Status#UNKNOWN} result, what could not be decided
 * (prefixed {@code "UNKNOWN: "}); {@code violationCount} counts violations only.
 *
 * <p>Immutable and therefore thread-safe; the {@link Builder} is not thread-safe.
 *
 * @param name the checker, such as {@code "C1 leadership overlap"}
 * @param status the verdict
 * @param counts named figures, in insertion order
 * @param violationCount how many violations were found (may exceed the descriptions kept)
 * @param descriptions the first problems found, human-readable
 */
public record CheckResult(String name, Status status, Map<String, Long> counts, long violationCount,
		List<String> descriptions) {

	/** How many problem descriptions a result keeps. */
	public static final int MAX_DESCRIPTIONS = 20;

	/**
	 * Creates a result, copying the collections.
	 */
	public CheckResult {
		counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
		descriptions = List.copyOf(descriptions);
	}

	/**
	 * Starts a result.
	 * @param name the checker's name
	 * @return a builder
	 */
	public static Builder builder(String name) {
		return new Builder(name);
	}

	/**
	 * Whether the checker passed.
	 * @return whether the status is {@link Status#PASS}
	 */
	public boolean ok() {
		return this.status == Status.PASS;
	}

	/**
	 * A figure by name.
	 * @param name the figure
	 * @return its value, {@code 0} when absent
	 */
	public long count(String name) {
		return this.counts.getOrDefault(name, 0L);
	}

	/**
	 * One line such as {@code C1 leadership overlap: PASS (generations=14, overlaps=0)}.
	 * @return the summary line
	 */
	public String summary() {
		String figures = this.counts.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + "=" + entry.getValue())
			.collect(Collectors.joining(", "));
		return this.name + ": " + this.status + (figures.isEmpty() ? "" : " (" + figures + ")");
	}

	@Override
	public String toString() {
		return summary();
	}

	/**
	 * The verdict of a checker. Immutable and therefore thread-safe.
	 */
	public enum Status {

		/** No violation found, and the checker looked at everything. */
		PASS,

		/** At least one violation found. */
		FAIL,

		/** No violation found, but the checker ran out of its time budget before deciding everything. */
		UNKNOWN

	}

	/**
	 * Collects figures and problems, keeping the first {@value #MAX_DESCRIPTIONS} descriptions. Not thread-safe.
	 */
	public static final class Builder {

		private final String name;

		private final Map<String, Long> counts = new LinkedHashMap<>();

		private final List<String> descriptions = new ArrayList<>();

		private long violations;

		private boolean unknown;

		private Builder(String name) {
			this.name = name;
		}

		/**
		 * Sets a figure (keeping its first insertion position).
		 * @param name the figure
		 * @param value its value
		 * @return this builder
		 */
		public Builder count(String name, long value) {
			this.counts.put(name, value);
			return this;
		}

		/**
		 * Records a violation.
		 * @param description what is wrong
		 * @return this builder
		 */
		public Builder violation(String description) {
			this.violations++;
			describe(description);
			return this;
		}

		/**
		 * Records something the checker could not decide (for example it ran out of time); without violations the
		 * result is {@link Status#UNKNOWN}.
		 * @param description what was left undecided
		 * @return this builder
		 */
		public Builder unknown(String description) {
			this.unknown = true;
			describe("UNKNOWN: " + description);
			return this;
		}

		/**
		 * How many violations were recorded so far.
		 * @return the count
		 */
		public long violationCount() {
			return this.violations;
		}

		/**
		 * The result: {@link Status#FAIL} if any violation was recorded, else {@link Status#UNKNOWN} if anything was
		 * left undecided, else {@link Status#PASS}.
		 * @return the result
		 */
		public CheckResult build() {
			Status status = (this.violations > 0) ? Status.FAIL : (this.unknown ? Status.UNKNOWN : Status.PASS);
			return new CheckResult(this.name, status, this.counts, this.violations, this.descriptions);
		}

		private void describe(String description) {
			if (this.descriptions.size() < MAX_DESCRIPTIONS) {
				this.descriptions.add(description);
			}
		}

	}

}
