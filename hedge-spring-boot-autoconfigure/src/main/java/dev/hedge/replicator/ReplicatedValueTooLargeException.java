package dev.hedge.replicator;

/**
 * A value, element or key is too large to be shipped between members: a single element, map key or register value
 * must fit well inside one message ({@code hedge.transport.max-message-size}); the update is refused and nothing
 * changes. Sets and maps themselves may grow beyond a message: they are shipped in chunks.
 */
public class ReplicatedValueTooLargeException extends ReplicationException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param message what is too large
	 */
	public ReplicatedValueTooLargeException(String message) {
		super(message);
	}

}
