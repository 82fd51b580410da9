package dev.hedge.chaos.history;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

class HistoryIOTests {

	@TempDir
	Path dir;

	@Test
	void everyRecordTypeSurvivesARoundTrip() throws IOException {
		List<Op> ops = List.of(Op.put("m1", 1, "k00", "m1-1", 10, 20, Op.OK),
				Op.getAll("m2", 7, "k00", List.of("m1-1", "m0-3"), 15, Long.MAX_VALUE, Op.INFO),
				new Op("m3", 2, Op.SEND, null, "hello", null, 30, 40, Op.FAIL, "not leader", 4));
		List<Term> terms = List.of(new Term("m1", 3, 100, Long.MAX_VALUE, 500, null),
				new Term("m2", 4, 600, 700, 900, "released"));
		List<Effect> effects = List.of(new Effect("m1", "put", 3, 110, 120, 1_700_000_000_000_123L, "m1-1"),
				Effect.of("m1", "sem-grant", 3, 130, Long.MAX_VALUE));
		List<Hold> holds = List.of(new Hold("m1", "p1", "s1", 2, 10, 20, 30, 1000, 2000),
				Hold.of("m2", "p2", "s1", 2, 15, Long.MAX_VALUE));
		List<Fault> faults = List.of(new Fault("kill", "m1", 50, 50, "SIGKILL"),
				new Fault("partition", "m2", 60, Long.MAX_VALUE, null));
		List<Takeover> takeovers = List.of(new Takeover("m1", 3, 1000), new Takeover(null, 4, 2000));

		assertThat(roundTrip(ops, Op.class)).isEqualTo(ops);
		assertThat(roundTrip(terms, Term.class)).isEqualTo(terms);
		assertThat(roundTrip(effects, Effect.class)).isEqualTo(effects);
		assertThat(roundTrip(holds, Hold.class)).isEqualTo(holds);
		assertThat(roundTrip(faults, Fault.class)).isEqualTo(faults);
		assertThat(roundTrip(takeovers, Takeover.class)).isEqualTo(takeovers);
	}

	@Test
	void typedReadersReadWhatWasWritten() throws IOException {
		Path file = this.dir.resolve("terms.jsonl");
		List<Term> terms = List.of(new Term("m1", 1, 0, 10, 20, "lost"));
		HistoryIO.write(file, terms);
		assertThat(HistoryIO.readTerms(file)).isEqualTo(terms);
		HistoryIO.write(file, List.of(new Takeover("m1", 1, 5)));
		assertThat(HistoryIO.readTakeovers(file)).containsExactly(new Takeover("m1", 1, 5));
	}

	@Test
	void absentEndTimesMeanNever() throws IOException {
		List<Op> ops = HistoryIO.read(new StringReader("""
				{"process":"m1","opId":1,"f":"put","key":"k","value":"v","invokeNanos":5,"type":"info"}
				"""), Op.class);
		List<Term> terms = HistoryIO.read(new StringReader("""
				{"member":"m1","epoch":2,"startNanos":5}
				"""), Term.class);
		List<Hold> holds = HistoryIO.read(new StringReader("""
				{"member":"m1","permitId":"p","semaphore":"s1","limit":2,"startNanos":5}
				"""), Hold.class);
		assertThat(ops.get(0).returnNanos()).isEqualTo(Long.MAX_VALUE);
		assertThat(ops.get(0).returned()).isFalse();
		assertThat(terms.get(0).endNanos()).isEqualTo(Long.MAX_VALUE);
		assertThat(terms.get(0).deadlineNanos()).isEqualTo(Long.MAX_VALUE);
		assertThat(terms.get(0).closed()).isFalse();
		assertThat(holds.get(0).effectiveEndNanos()).isEqualTo(Long.MAX_VALUE);
		assertThat(holds.get(0).grantTimestampMicros()).isZero();
	}

	@Test
	void anExplicitZeroEndIsNotNever() throws IOException {
		List<Term> terms = HistoryIO.read(new StringReader("""
				{"member":"m1","epoch":2,"startNanos":-10,"endNanos":0,"deadlineNanos":0}
				"""), Term.class);
		assertThat(terms.get(0).effectiveEndNanos()).isZero();
	}

	@Test
	void unknownPropertiesAreIgnored() throws IOException {
		List<Fault> faults = HistoryIO.read(new StringReader("""
				{"kind":"kill","target":"m1","startNanos":1,"endNanos":2,"wallTime":"2025-01-01T00:00:00Z","x":{"y":1}}
				"""), Fault.class);
		assertThat(faults).containsExactly(new Fault("kill", "m1", 1, 2, null));
	}

	@Test
	void aTruncatedLastLineIsSkipped() throws IOException {
		Path file = this.dir.resolve("ops.jsonl");
		String good = HistoryIO.toLine(Op.put("m1", 1, "k", "v", 1, 2, Op.OK));
		Files.writeString(file, good + "\n" + good.substring(0, good.length() / 2), StandardCharsets.UTF_8);
		assertThat(HistoryIO.readOps(file)).hasSize(1);
	}

	@Test
	void aTruncatedLastLineFollowedByBlankLinesIsSkipped() throws IOException {
		String good = HistoryIO.toLine(new Fault("kill", "m1", 1, 2, null));
		List<Fault> faults = HistoryIO.read(new StringReader(good + "\n{\"kind\":\"pau\n\n"), Fault.class);
		assertThat(faults).hasSize(1);
	}

	@Test
	void aCorruptLineBeforeTheLastIsAnError() {
		String good = HistoryIO.toLine(new Fault("kill", "m1", 1, 2, null));
		assertThatIOException()
			.isThrownBy(() -> HistoryIO.read(new StringReader(good + "\n{\"kind\":\"pau\n" + good + "\n"),
					Fault.class))
			.withMessageContaining("line 2");
	}

	@Test
	void blankLinesAndAnEmptyFileAreFine() throws IOException {
		String good = HistoryIO.toLine(new Takeover("m1", 1, 2));
		assertThat(HistoryIO.read(new StringReader("\n" + good + "\n\n  \n" + good), Takeover.class)).hasSize(2);
		Path empty = Files.createFile(this.dir.resolve("empty.jsonl"));
		assertThat(HistoryIO.readOps(empty)).isEmpty();
	}

	@Test
	void writtenOpsCarryOnlyTheirComponents() {
		String line = HistoryIO.toLine(Op.put("m1", 1, "k", "v", 1, 2, Op.OK));
		assertThat(line).startsWith("{").endsWith("}").doesNotContain("\n");
		assertThat(line).doesNotContain("succeeded", "failed", "outcomeUnknown", "returned", "values", "error");
		assertThat(HistoryIO.toLine(new Term("m1", 1, 0, 1, 2, null))).doesNotContain("effectiveEndNanos",
				"closed");
	}

	@Test
	void readAllConcatenatesFilesInOrder() throws IOException {
		Path a = this.dir.resolve("a.jsonl");
		Path b = this.dir.resolve("b.jsonl");
		HistoryIO.write(a, List.of(new Takeover("m1", 1, 10)));
		HistoryIO.write(b, List.of(new Takeover("m2", 2, 20), new Takeover("m3", 3, 30)));
		assertThat(HistoryIO.readAll(List.of(a, b), Takeover.class)).extracting(Takeover::epoch)
			.containsExactly(1L, 2L, 3L);
	}

	@Test
	void concurrentAppendersNeverInterleaveLines() throws Exception {
		Path file = this.dir.resolve("appended.jsonl");
		ExecutorService executor = Executors.newFixedThreadPool(4);
		try (JsonLinesAppender appender = HistoryIO.appender(file)) {
			List<Future<?>> futures = new ArrayList<>();
			for (int t = 0; t < 4; t++) {
				String process = "m" + t;
				futures.add(executor.submit(() -> {
					for (int i = 0; i < 250; i++) {
						appender.append(Op.put(process, i, "k", process + "-" + i, i, i + 1, Op.OK));
					}
					return null;
				}));
			}
			for (Future<?> future : futures) {
				future.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(HistoryIO.readOps(file)).hasSize(1000).extracting(Op::value).doesNotHaveDuplicates();
	}

	@Test
	void anAppenderAddsToAnExistingFile() throws IOException {
		Path file = this.dir.resolve("faults.jsonl");
		HistoryIO.write(file, List.of(new Fault("kill", "m1", 1, 1, null)));
		try (JsonLinesAppender appender = HistoryIO.appender(file)) {
			appender.append(new Fault("pause", "m2", 2, 3, null));
		}
		assertThat(HistoryIO.readFaults(file)).extracting(Fault::kind).containsExactly("kill", "pause");
	}

	private static <T> List<T> roundTrip(List<T> records, Class<T> type) throws IOException {
		StringWriter writer = new StringWriter();
		HistoryIO.write(writer, records);
		assertThat(writer.toString().lines()).hasSize(records.size());
		return HistoryIO.read(new StringReader(writer.toString()), type);
	}

}
