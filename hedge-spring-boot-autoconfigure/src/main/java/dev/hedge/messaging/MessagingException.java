package dev.hedge.messaging;

import dev.hedge.common.HedgeException;

/**
 * A send, broadcast or stream failed. {@link #isRetryable()} tells whether trying again (possibly at another
 * member) can succeed; {@code sendToLeader} retries exactly those.
 */
public class MessagingException extends HedgeException {

	private static final long serialVersionUID = 1L;

	private final boolean retryable;

	/**
	 * Creates the exception.
	 * @param message what failed
	 * @param retryable whether a retry can succeed
	 */
	public MessagingException(String message, boolean retryable) {
		super(message);
		this.retryable = retryable;
	}

	/**
	 * Creates the exception.
	 * @param message what failed
	 * @param cause the cause
	 * @param retryable whether a retry can succeed
	 */
	public MessagingException(String message, Throwable cause, boolean retryable) {
		super(message, cause);
		this.retryable = retryable;
	}

	/**
	 * Whether trying again can succeed.
	 * @return whether the failure is transient
	 */
	public boolean isRetryable() {
		return this.retryable;
	}

}
