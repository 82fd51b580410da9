package dev.hedge.messaging;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Streams to every target member of a broadcast, one isolated {@link MessageStream} each. {@link #send} goes to
 * every stream that has not failed; a failing member's error shows on its own stream and in {@link #failures()},
 * never affecting the others. Thread-safe for sending; read each member's replies from one thread.
 */
public final class BroadcastStream implements AutoCloseable {

	private final Map<String, MessageStream> streams;

	private final Map<String, MessagingException> failures = Collections.synchronizedMap(new LinkedHashMap<>());

	BroadcastStream(Map<String, MessageStream> streams) {
		this.streams = Collections.unmodifiableMap(streams);
	}

	/**
	 * The stream of every target member, by member id.
	 * @return the streams
	 */
	public Map<String, MessageStream> streams() {
		return this.streams;
	}

	/**
	 * Sends a message to every member whose stream still works.
	 * @param message the bytes
	 */
	public void send(byte[] message) {
		for (Map.Entry<String, MessageStream> entry : this.streams.entrySet()) {
			if (this.failures.containsKey(entry.getKey())) {
				continue;
			}
			try {
				entry.getValue().send(message);
			}
			catch (MessagingException ex) {
				this.failures.put(entry.getKey(), ex);
			}
		}
	}

	/** Ends the input of every stream. */
	public void complete() {
		this.streams.values().forEach(MessageStream::complete);
	}

	/**
	 * Members whose stream failed while sending, with the failure.
	 * @return a snapshot
	 */
	public Map<String, MessagingException> failures() {
		synchronized (this.failures) {
			return new LinkedHashMap<>(this.failures);
		}
	}

	@Override
	public void close() {
		this.streams.values().forEach(MessageStream::cancel);
	}

}
