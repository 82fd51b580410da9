package dev.hedge.messaging;

/** The receiving member's handler threw; the message carries its description. Not retried. */
public class HandlerFailedException extends MessagingException {

	private static final long serialVersionUID = 1L;

	private final String member;

	/**
	 * Creates the exception.
	 * @param member the member whose handler failed
	 * @param remoteMessage the handler's failure, as the member described it
	 */
	public HandlerFailedException(String member, String remoteMessage) {
		super("handler on " + member + " failed: " + remoteMessage, false);
		this.member = member;
	}

	/**
	 * Creates the exception for a local handler.
	 * @param member this member
	 * @param cause the handler's exception
	 */
	public HandlerFailedException(String member, Throwable cause) {
		super("handler on " + member + " failed: " + cause, cause, false);
		this.member = member;
	}

	/**
	 * The member whose handler failed.
	 * @return its id
	 */
	public String getMember() {
		return this.member;
	}

}
