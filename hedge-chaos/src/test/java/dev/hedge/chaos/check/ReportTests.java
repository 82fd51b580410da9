package dev.hedge.chaos.check;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hedge.chaos.check.CheckResult.Status;
import dev.hedge.chaos.history.Term;

import static org.assertj.core.api.Assertions.assertThat;

class ReportTests {

	@TempDir
	Path dir;

	private final List<Term> goodTerms = List.of(new Term("a", 1, 0, 100, Long.MAX_VALUE, "released"),
			new Term("b", 2, 100, 200, 250, "lost"));

	private final List<Term> badTerms = List.of(new Term("a", 1, 0, 150, Long.MAX_VALUE, "released"),
			new Term("b", 2, 100, 200, 250, "lost"));

	private Check overlap(List<Term> terms) {
		return Check.of(LeadershipOverlapChecker.NAME, () -> new LeadershipOverlapChecker().check(terms));
	}

	@Test
	void everyCheckGetsOneSummaryLinePlusATotal() {
		Report report = Report.run(List.of(overlap(this.goodTerms), overlap(this.badTerms)));
		assertThat(report.passed()).isFalse();
		assertThat(report.summaryLines()).hasSize(3);
		assertThat(report.summaryLines().get(0)).startsWith("C1 leadership overlap: PASS (terms=2, generations=2");
		assertThat(report.summaryLines().get(1)).startsWith("C1 leadership overlap: FAIL (").contains("overlaps=1");
		assertThat(report.summaryLines().get(2)).isEqualTo("checks: 1 passed, 1 failed, 0 unknown");
	}

	@Test
	void allPassingChecksPass() {
		assertThat(Report.run(List.of(overlap(this.goodTerms))).passed()).isTrue();
		assertThat(Report.run(List.of()).passed()).isTrue();
	}

	@Test
	void anUnknownResultDoesNotPass() {
		Report report = Report.of(List.of(CheckResult.builder("C5 linearizability").unknown("k: budget").build()));
		assertThat(report.passed()).isFalse();
		assertThat(report.summaryLines()).last().isEqualTo("checks: 0 passed, 0 failed, 1 unknown");
	}

	@Test
	void printingShowsTheProblemsUnderTheirCheck() {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		CheckResult.Builder many = CheckResult.builder("many");
		for (int i = 0; i < 25; i++) {
			many.violation("v" + i);
		}
		Report report = Report.run(List.of(overlap(this.badTerms), Check.of("many", many::build)));
		report.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
		List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
		assertThat(lines.get(0)).startsWith("C1 leadership overlap: FAIL");
		assertThat(lines.get(1)).startsWith("    a epoch 1").contains("overlaps b epoch 2");
		assertThat(lines).contains("    v19", "    ... and about 5 more").doesNotContain("    v20");
		assertThat(lines).last().isEqualTo("checks: 0 passed, 2 failed, 0 unknown");
	}

	@Test
	void aCheckThatThrowsFailsUnderItsName() {
		Report report = Report.run(List.of(Check.of("C7 send", () -> {
			throw new IllegalStateException("boom");
		}), Check.of("C8 nothing", () -> null)));
		assertThat(report.results()).extracting(CheckResult::name).containsExactly("C7 send", "C8 nothing");
		assertThat(report.results()).extracting(CheckResult::status).containsOnly(Status.FAIL);
		assertThat(report.results().get(0).descriptions()).singleElement().asString().contains("boom");
	}

	@Test
	void theJsonSummaryHoldsEveryResult() throws IOException {
		Path file = this.dir.resolve("summary.json");
		Report.run(List.of(overlap(this.goodTerms), overlap(this.badTerms))).writeJson(file);
		JsonNode root = new ObjectMapper().readTree(file.toFile());
		assertThat(root.get("passed").asBoolean()).isFalse();
		assertThat(root.get("results")).hasSize(2);
		JsonNode failed = root.get("results").get(1);
		assertThat(failed.get("name").asText()).isEqualTo("C1 leadership overlap");
		assertThat(failed.get("status").asText()).isEqualTo("FAIL");
		assertThat(failed.get("ok").asBoolean()).isFalse();
		assertThat(failed.get("counts").get("overlaps").asLong()).isOne();
		assertThat(failed.get("violationCount").asLong()).isOne();
		assertThat(failed.get("descriptions")).hasSize(1);
		assertThat(failed.has("elapsedMillis")).isTrue();
	}

}
