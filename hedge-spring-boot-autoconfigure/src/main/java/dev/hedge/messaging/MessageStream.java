package dev.hedge.messaging;

import java.util.ArrayList;
import java.util.List;

/**
 * The sending side of one stream to one member. {@link #send} waits while the receiver cannot take more (flow
 * control); {@link #complete()} ends the input; {@link #nextReply()} reads replies in order. Every wait is bounded by
 * the stream's deadline. Thread-safe; replies should be read by one thread.
 */
public interface MessageStream extends AutoCloseable {

	/**
	 * The member this stream goes to.
	 * @return its id
	 */
	String member();

	/**
	 * Sends a message.
	 * @param message the bytes
	 * @throws MessagingException if the stream failed or the deadline passed
	 */
	void send(byte[] message);

	/** Signals the end of input to the receiver (idempotent). */
	void complete();

	/**
	 * The next reply.
	 * @return the reply, or {@code null} once the receiver completed the stream
	 * @throws MessagingException if the stream failed or the deadline passed
	 */
	byte[] nextReply();

	/**
	 * Reads every remaining reply.
	 * @return the replies, in order
	 * @throws MessagingException if the stream failed or the deadline passed
	 */
	default List<byte[]> remainingReplies() {
		List<byte[]> replies = new ArrayList<>();
		byte[] reply;
		while ((reply = nextReply()) != null) {
			replies.add(reply);
		}
		return replies;
	}

	/** Cancels the stream if it is not finished. */
	void cancel();

	/** Same as {@link #cancel()}. */
	@Override
	default void close() {
		cancel();
	}

}
