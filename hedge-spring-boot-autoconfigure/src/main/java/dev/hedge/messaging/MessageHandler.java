package dev.hedge.messaging;

/**
 * Answers one message: the leader handler answers {@code send}, the broadcast handler answers {@code broadcast}.
 *
 * <p>Threading: called on the transport's threads (or on the caller's thread for a leader sending to itself),
 * possibly concurrently for different messages; implementations must be thread-safe. A thrown exception reaches the
 * sender as a {@link HandlerFailedException} carrying its description; the node is unaffected. Note that
 * {@code sendToLeader} may deliver a message more than once if a reply is lost, so make handlers idempotent where that
 * matters.
 */
@FunctionalInterface
public interface MessageHandler {

	/**
	 * Handles a message.
	 * @param message the message
	 * @return the reply ({@code null} means an empty reply)
	 * @throws Exception to fail the call
	 */
	byte[] handle(InboundMessage message) throws Exception;

}
