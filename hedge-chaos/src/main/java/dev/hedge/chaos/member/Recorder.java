package dev.hedge.chaos.member;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.hedge.chaos.history.HistoryIO;
import dev.hedge.chaos.history.JsonLinesAppender;

/**
 * The history files of one member process incarnation, one JSON-lines file per record kind in its own folder:
 * {@code ops}, {@code terms}, {@code takeovers}, {@code effects}, {@code holds}, {@code renewals} and
 * {@code hiccups}. Terms and holds are upserted (a new line on every change); readers keep the last line per key.
 *
 * <p>Thread-safe: each appender is synchronized.
 */
final class Recorder implements AutoCloseable {

	static final String OPS = "ops";

	static final String TERMS = "terms";

	static final String TAKEOVERS = "takeovers";

	static final String EFFECTS = "effects";

	static final String HOLDS = "holds";

	static final String RENEWALS = "renewals";

	static final String HICCUPS = "hiccups";

	private final Path folder;

	private final Map<String, JsonLinesAppender> appenders = new ConcurrentHashMap<>();

	Recorder(Path folder) throws IOException {
		this.folder = Files.createDirectories(folder);
	}

	Path folder() {
		return this.folder;
	}

	void append(String kind, Object record) {
		try {
			this.appenders.computeIfAbsent(kind, this::open).append(record);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private JsonLinesAppender open(String kind) {
		try {
			return HistoryIO.appender(this.folder.resolve(kind + ".jsonl"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		for (JsonLinesAppender appender : this.appenders.values()) {
			try {
				appender.close();
			}
			catch (IOException ex) {
				// best effort
			}
		}
	}

}
