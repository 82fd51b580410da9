package dev.hedge.chaos.check;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.hedge.chaos.check.CheckResult.Status;

/**
 * Runs a list of checks after a scenario and reports on them: one summary line per check, such as
 * {@code C1 leadership overlap: PASS (generations=14, overlaps=0)}, the problem descriptions of those that did not
 * pass, and a JSON summary file.
 *
 * <p>A check that throws is reported as {@link Status#FAIL} with the exception as its description: a checker that
 * cannot run has not shown the history is good.
 *
 * <p>Immutable once {@link #run(List) run}, and therefore thread-safe.
 */
public final class Report {

	private static final ObjectMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	private final List<CheckResult> results;

	private final List<Long> elapsedNanos;

	private Report(List<CheckResult> results, List<Long> elapsedNanos) {
		this.results = List.copyOf(results);
		this.elapsedNanos = List.copyOf(elapsedNanos);
	}

	/**
	 * Runs the checks one after the other on the calling thread.
	 * @param checks the checks
	 * @return the report
	 */
	public static Report run(List<Check> checks) {
		List<CheckResult> results = new ArrayList<>(checks.size());
		List<Long> elapsed = new ArrayList<>(checks.size());
		for (Check check : checks) {
			long start = System.nanoTime();
			results.add(runOne(check));
			elapsed.add(System.nanoTime() - start);
		}
		return new Report(results, elapsed);
	}

	/**
	 * A report of results obtained elsewhere.
	 * @param results the results
	 * @return the report
	 */
	public static Report of(List<CheckResult> results) {
		return new Report(results, results.stream().map((result) -> 0L).toList());
	}

	private static CheckResult runOne(Check check) {
		try {
			CheckResult result = check.run();
			if (result == null) {
				return CheckResult.builder(check.name()).violation("the checker returned no result").build();
			}
			return result;
		}
		catch (RuntimeException ex) {
			return CheckResult.builder(check.name()).violation("the checker threw " + ex).build();
		}
	}

	/**
	 * The results, in check order.
	 * @return the results
	 */
	public List<CheckResult> results() {
		return this.results;
	}

	/**
	 * Whether every check passed ({@link Status#UNKNOWN} does not pass).
	 * @return whether all results are {@link Status#PASS}
	 */
	public boolean passed() {
		return this.results.stream().allMatch(CheckResult::ok);
	}

	/**
	 * One summary line per check, then a total line.
	 * @return the lines
	 */
	public List<String> summaryLines() {
		List<String> lines = new ArrayList<>();
		this.results.forEach((result) -> lines.add(result.summary()));
		lines.add(total());
		return lines;
	}

	/**
	 * Prints the summary lines, each followed by the problem descriptions of a check that did not pass.
	 * @param out where to print
	 */
	public void print(PrintStream out) {
		for (CheckResult result : this.results) {
			out.println(result.summary());
			result.descriptions().forEach((description) -> out.println("    " + description));
			long hidden = result.violationCount() - result.descriptions().size();
			if (hidden > 0) {
				out.println("    ... and about " + hidden + " more");
			}
		}
		out.println(total());
	}

	/**
	 * Writes the JSON summary.
	 * @param file the file to (over)write
	 * @throws IOException if it cannot be written
	 */
	public void writeJson(Path file) throws IOException {
		Files.writeString(file, toJson(), StandardCharsets.UTF_8);
	}

	/**
	 * The JSON summary: {@code passed}, and per check {@code name}, {@code status}, {@code ok},
	 * {@code elapsedMillis}, {@code counts}, {@code violationCount} and {@code descriptions}.
	 * @return the JSON text
	 */
	public String toJson() {
		ObjectNode root = MAPPER.createObjectNode();
		root.put("passed", passed());
		ArrayNode checks = root.putArray("results");
		for (int i = 0; i < this.results.size(); i++) {
			CheckResult result = this.results.get(i);
			ObjectNode node = checks.addObject();
			node.put("name", result.name());
			node.put("status", result.status().name());
			node.put("ok", result.ok());
			node.put("elapsedMillis", this.elapsedNanos.get(i) / 1_000_000);
			ObjectNode counts = node.putObject("counts");
			result.counts().forEach(counts::put);
			node.put("violationCount", result.violationCount());
			ArrayNode descriptions = node.putArray("descriptions");
			result.descriptions().forEach(descriptions::add);
		}
		try {
			return MAPPER.writeValueAsString(root);
		}
		catch (JsonProcessingException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private String total() {
		return "checks: " + count(Status.PASS) + " passed, " + count(Status.FAIL) + " failed, " + count(Status.UNKNOWN)
				+ " unknown";
	}

	private long count(Status status) {
		return this.results.stream().filter((result) -> result.status() == status).count();
	}

}
