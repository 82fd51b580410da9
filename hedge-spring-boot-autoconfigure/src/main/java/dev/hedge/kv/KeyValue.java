package dev.hedge.kv;

import java.time.Instant;

/**
 * One version of a key, as read from the log.
 *
 * @param key the key
 * @param value the value
 * @param timestamp the commit timestamp of the write
 * @param writer the member (the leader at the time) that wrote it
 */
public record KeyValue(String key, String value, Instant timestamp, String writer) {

}
