package dev.hedge.messaging;

/** No leader is known right now (an election is in progress). Retryable. */
public class NoLeaderException extends MessagingException {

	private static final long serialVersionUID = 1L;

	/** Creates the exception. */
	public NoLeaderException() {
		super("no leader is known", true);
	}

}
