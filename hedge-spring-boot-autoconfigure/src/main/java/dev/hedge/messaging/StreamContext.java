package dev.hedge.messaging;

/**
 * A stream's sender and its reply side. Thread-safe.
 */
public interface StreamContext {

	/**
	 * The sending member.
	 * @return its id
	 */
	String sender();

	/**
	 * Sends a reply, waiting while the transport cannot take more (flow control) for at most the stream's send
	 * timeout.
	 * @param message the reply
	 * @throws MessagingException if the stream is closed or the wait timed out
	 */
	void reply(byte[] message);

	/** Ends the reply stream successfully (idempotent). */
	void complete();

	/**
	 * Ends the reply stream with an error the sender sees as a handler failure (idempotent).
	 * @param error what went wrong
	 */
	void fail(Throwable error);

}
