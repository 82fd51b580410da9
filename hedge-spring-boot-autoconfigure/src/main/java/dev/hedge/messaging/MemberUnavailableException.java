package dev.hedge.messaging;

/**
 * A member could not be reached, or did not answer within the call's deadline ({@link #isTimeout()}; the effect of
 * the call is then unknown). Retryable.
 */
public class MemberUnavailableException extends MessagingException {

	private static final long serialVersionUID = 1L;

	private final String member;

	private final boolean timeout;

	/**
	 * Creates the exception.
	 * @param member the member
	 * @param message the transport's description
	 * @param timeout whether the deadline passed
	 * @param cause the transport's exception
	 */
	public MemberUnavailableException(String member, String message, boolean timeout, Throwable cause) {
		super((timeout ? "no answer in time from " : "cannot reach ") + member + ": " + message, cause, true);
		this.member = member;
		this.timeout = timeout;
	}

	/**
	 * The member.
	 * @return its id
	 */
	public String getMember() {
		return this.member;
	}

	/**
	 * Whether the call's deadline passed (its effect is unknown).
	 * @return whether it timed out
	 */
	public boolean isTimeout() {
		return this.timeout;
	}

}
