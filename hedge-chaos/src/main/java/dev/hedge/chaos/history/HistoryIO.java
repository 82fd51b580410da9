package dev.hedge.chaos.history;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Reads and writes histories as JSON lines: one JSON object per line, UTF-8.
 *
 * <p>Reading ignores unknown properties and blank lines. A last line that does not parse (a process killed in the
 * middle of writing it) is skipped; a line that does not parse anywhere else is an error, because a corrupt history
 * must not silently pass a checker. Write one file per process incarnation: a truncated line followed by lines that a
 * restarted process appended would corrupt both.
 *
 * <p>Stateless and thread-safe (the shared {@link ObjectMapper} is configured once and never changed).
 */
public final class HistoryIO {

	private static final ObjectMapper MAPPER = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	private HistoryIO() {
	}

	/**
	 * Reads the client operations of one file.
	 * @param file the JSON-lines file
	 * @return the operations, in file order
	 * @throws IOException if the file cannot be read or a line other than the last is not valid
	 */
	public static List<Op> readOps(Path file) throws IOException {
		return read(file, Op.class);
	}

	/**
	 * Reads the leadership terms of one file.
	 * @param file the JSON-lines file
	 * @return the terms, in file order
	 * @throws IOException if the file cannot be read or a line other than the last is not valid
	 */
	public static List<Term> readTerms(Path file) throws IOException {
		return read(file, Term.class);
	}

	/**
	 * Reads the leader-side actions of one file.
	 * @param file the JSON-lines file
	 * @return the effects, in file order
	 * @throws IOException if the file cannot be read or a line other than the last is not valid
	 */
	public static List<Effect> readEffects(Path file) throws IOException {
		return read(file, Effect.class);
	}

	/**
	 * Reads the semaphore holds of one file.
	 * @param file the JSON-lines file
	 * @return the holds, in file order
	 * @throws IOException if the file cannot be read or a line other than the last is not valid
	 */
	public static List<Hold> readHolds(Path file) throws IOException {
		return read(file, Hold.class);
	}

	/**
	 * Reads the nemesis events of one file.
	 * @param file the JSON-lines file
	 * @return the faults, in file order
	 * @throws IOException if the file cannot be read or a line other than the last is not valid
	 */
	public static List<Fault> readFaults(Path file) throws IOException {
		return read(file, Fault.class);
	}

	/**
	 * Reads the takeover audit of one file.
	 * @param file the JSON-lines file
	 * @return the takeovers, in file order
	 * @throws IOException if the file cannot be read or a line other than the last is not valid
	 */
	public static List<Takeover> readTakeovers(Path file) throws IOException {
		return read(file, Takeover.class);
	}

	/**
	 * Reads and concatenates several files (one per member, say), in the given order.
	 * @param <T> the record type
	 * @param files the JSON-lines files
	 * @param type the record type
	 * @return the records
	 * @throws IOException if a file cannot be read or a line other than its last is not valid
	 */
	public static <T> List<T> readAll(Collection<Path> files, Class<T> type) throws IOException {
		List<T> all = new ArrayList<>();
		for (Path file : files) {
			all.addAll(read(file, type));
		}
		return all;
	}

	/**
	 * Reads one file.
	 * @param <T> the record type
	 * @param file the JSON-lines file
	 * @param type the record type
	 * @return the records, in file order
	 * @throws IOException if the file cannot be read or a line other than the last is not valid
	 */
	public static <T> List<T> read(Path file, Class<T> type) throws IOException {
		try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			return read(reader, file.toString(), type);
		}
	}

	/**
	 * Reads JSON lines from a reader, which is not closed.
	 * @param <T> the record type
	 * @param reader the source
	 * @param type the record type
	 * @return the records, in order
	 * @throws IOException if the source cannot be read or a line other than the last is not valid
	 */
	public static <T> List<T> read(Reader reader, Class<T> type) throws IOException {
		return read(reader, "history", type);
	}

	private static <T> List<T> read(Reader reader, String source, Class<T> type) throws IOException {
		List<String> lines = new BufferedReader(reader).lines().toList();
		int last = lines.size() - 1;
		while (last >= 0 && lines.get(last).isBlank()) {
			last--;
		}
		List<T> records = new ArrayList<>(last + 1);
		for (int i = 0; i <= last; i++) {
			String line = lines.get(i);
			if (line.isBlank()) {
				continue;
			}
			try {
				records.add(MAPPER.readValue(line, type));
			}
			catch (JsonProcessingException ex) {
				if (i != last) {
					throw new IOException(source + " line " + (i + 1) + " is not a valid " + type.getSimpleName()
							+ ": " + ex.getOriginalMessage(), ex);
				}
			}
		}
		return records;
	}

	/**
	 * Writes records to a file, one per line, replacing the file.
	 * @param file the file
	 * @param records the records
	 * @throws IOException if the file cannot be written
	 */
	public static void write(Path file, Collection<?> records) throws IOException {
		try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
			write(writer, records);
		}
	}

	/**
	 * Writes records to a writer, one per line; the writer is flushed, not closed.
	 * @param writer the target
	 * @param records the records
	 * @throws IOException if the writer fails
	 */
	public static void write(Writer writer, Collection<?> records) throws IOException {
		for (Object record : records) {
			writer.write(toLine(record));
			writer.write('\n');
		}
		writer.flush();
	}

	/**
	 * Opens a file for appending records one line at a time, creating it if needed. Each record is flushed as it
	 * is appended, so a killed process loses at most a part of its last line.
	 * @param file the file
	 * @return the appender, to be closed by the caller
	 * @throws IOException if the file cannot be opened
	 */
	public static JsonLinesAppender appender(Path file) throws IOException {
		return new JsonLinesAppender(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
				StandardOpenOption.APPEND, StandardOpenOption.WRITE));
	}

	/**
	 * The JSON form of one record, without line separator.
	 * @param record the record
	 * @return one line of JSON
	 */
	public static String toLine(Object record) {
		try {
			return MAPPER.writeValueAsString(record);
		}
		catch (JsonProcessingException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
