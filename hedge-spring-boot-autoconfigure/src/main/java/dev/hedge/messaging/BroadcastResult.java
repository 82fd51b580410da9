package dev.hedge.messaging;

/**
 * One member's answer to a broadcast: either a reply or an error, never both.
 *
 * @param member the member's id
 * @param reply the reply, or {@code null} on error
 * @param error why the member did not answer, or {@code null}
 */
public record BroadcastResult(String member, byte[] reply, MessagingException error) {

	/**
	 * Whether the member answered.
	 * @return whether there is a reply
	 */
	public boolean ok() {
		return this.error == null;
	}

}
