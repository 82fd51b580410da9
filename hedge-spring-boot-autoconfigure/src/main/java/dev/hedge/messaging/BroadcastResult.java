package dev.hedge.messaging;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One member's answer to a broadcast: either a reply or an error, never both. Immutable apart from the reply array,
 * which is the caller's to keep (do not change it).
 *
 * <p>{@link #toString()} shows the reply as text when it is valid UTF-8 (else its size), so logging a result shows
 * what the member said; {@link #equals(Object)} compares replies by content.
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

	@Override
	public boolean equals(Object other) {
		return (other instanceof BroadcastResult that) && Objects.equals(this.member, that.member)
				&& Arrays.equals(this.reply, that.reply) && Objects.equals(this.error, that.error);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.member, Arrays.hashCode(this.reply), this.error);
	}

	@Override
	public String toString() {
		if (!ok()) {
			return "BroadcastResult[member=" + this.member + ", error=" + this.error + "]";
		}
		return "BroadcastResult[member=" + this.member + ", reply=" + describe(this.reply) + "]";
	}

	private static String describe(byte[] reply) {
		if (reply == null) {
			return "null";
		}
		try {
			return '"' + StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(reply))
				.toString() + '"';
		}
		catch (CharacterCodingException ex) {
			return reply.length + " bytes (not UTF-8)";
		}
	}

}
