package dev.hedge.chaos.history;

import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;

/**
 * Appends history records to a JSON-lines file, flushing after each record. Obtain one with
 * {@link HistoryIO#appender(java.nio.file.Path)}.
 *
 * <p>Thread-safe: {@link #append(Object)} and {@link #close()} are synchronized, so concurrent callers never
 * interleave their lines.
 */
public final class JsonLinesAppender implements Closeable {

	private final Writer writer;

	JsonLinesAppender(Writer writer) {
		this.writer = writer;
	}

	/**
	 * Appends one record as one line and flushes it.
	 * @param record the record
	 * @throws IOException if the file cannot be written
	 */
	public synchronized void append(Object record) throws IOException {
		this.writer.write(HistoryIO.toLine(record) + "\n");
		this.writer.flush();
	}

	@Override
	public synchronized void close() throws IOException {
		this.writer.close();
	}

}
