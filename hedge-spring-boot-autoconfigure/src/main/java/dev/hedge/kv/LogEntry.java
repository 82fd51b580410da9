package dev.hedge.kv;

import java.time.Instant;

/**
 * A row read from the log.
 *
 * @param key the key
 * @param id the row id
 * @param value the value
 * @param writer the node that wrote it (the {@code leader} column)
 * @param timestamp the commit timestamp
 */
public record LogEntry(String key, String id, String value, String writer, Instant timestamp) {

}
