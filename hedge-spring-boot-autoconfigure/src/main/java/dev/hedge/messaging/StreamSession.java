package dev.hedge.messaging;

/**
 * One incoming stream, created by a {@link StreamHandler}. See {@link StreamHandler} for threading.
 */
public interface StreamSession {

	/**
	 * The next message of the stream.
	 * @param message the bytes sent
	 * @throws Exception to fail the stream (the sender sees a handler failure)
	 */
	void onMessage(byte[] message) throws Exception;

	/**
	 * The sender signalled the end of its input. Send any final replies through the context; when this returns, the
	 * stream is completed (unless it already was).
	 * @throws Exception to fail the stream
	 */
	void onEnd() throws Exception;

	/** The sender cancelled the stream, or it hit its deadline; replies are no longer possible. */
	default void onCancel() {
	}

}
