package dev.hedge.chaos.harness;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.hedge.chaos.check.CheckResult;
import dev.hedge.chaos.check.Report;

/**
 * What one scenario produced: the checker report, extra figures, and the acceptance problems found by the
 * scenario itself (a planned fault that could not happen, a figure over its budget).
 */
final class ScenarioResult {

	final String id;

	final String title;

	final long seconds;

	Report report;

	long startNanos;

	long endNanos;

	final Map<String, Object> figures = new LinkedHashMap<>();

	final List<String> problems = new java.util.ArrayList<>();

	/** Findings the suite reports without failing: library gaps already known and tracked (no authentication). */
	final List<String> knownIssues = new java.util.ArrayList<>();

	ScenarioResult(String id, String title, long seconds) {
		this.id = id;
		this.title = title;
		this.seconds = seconds;
	}

	boolean passed() {
		return this.problems.isEmpty() && this.report != null && this.report.passed();
	}

	long count(String check, String figure) {
		if (this.report == null) {
			return 0;
		}
		return this.report.results()
			.stream()
			.filter((r) -> r.name().equals(check))
			.mapToLong((r) -> r.count(figure))
			.sum();
	}

	CheckResult result(String check) {
		return (this.report == null) ? null
				: this.report.results().stream().filter((r) -> r.name().equals(check)).findFirst().orElse(null);
	}

}
