package dev.hedge.messaging;

/**
 * Serves streams: {@link #open} is called once per incoming stream and returns that stream's own session, so
 * concurrent streams never share state or replies (unlike hedge-Go's single shared channel pair).
 *
 * <p>Threading: each session's callbacks run one at a time, in order, on a pooled thread
 * ({@code hedge-<group>-streams-n}); different sessions run concurrently. The next inbound message is requested
 * only after {@link StreamSession#onMessage} returns, so a slow session slows its sender down (flow control).
 */
@FunctionalInterface
public interface StreamHandler {

	/**
	 * A new stream arrived.
	 * @param context the stream's sender and reply channel
	 * @return the session that receives the stream's messages
	 * @throws Exception to refuse the stream (the sender sees a handler failure)
	 */
	StreamSession open(StreamContext context) throws Exception;

}
