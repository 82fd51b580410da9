package dev.hedge.chaos.history;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One leadership belief interval of one member: from the moment the member observed its takeover commit until it
 * stopped believing it leads. A member that was killed or paused stops believing at its deadline by definition, so
 * the interval that counts is {@code [startNanos, min(endNanos, deadlineNanos))} (see {@link #effectiveEndNanos()}).
 *
 * <p>Immutable and therefore thread-safe.
 *
 * @param member id of the member
 * @param epoch the fencing epoch (token) of the term
 * @param startNanos {@code System.nanoTime()} after the takeover commit was observed
 * @param endNanos {@code System.nanoTime()} when the member stopped believing; {@link Long#MAX_VALUE} when never
 * closed (for example the process was killed)
 * @param deadlineNanos the member's last computed deadline; {@link Long#MAX_VALUE} when unknown
 * @param endReason why the term ended ({@code deadline}, {@code lost}, {@code released}, {@code killed}, ...), or
 * {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Term(String member, long epoch, long startNanos, long endNanos, long deadlineNanos, String endReason) {

	@JsonCreator
	static Term fromJson(@JsonProperty("member") String member, @JsonProperty("epoch") long epoch,
			@JsonProperty("startNanos") long startNanos, @JsonProperty("endNanos") Long endNanos,
			@JsonProperty("deadlineNanos") Long deadlineNanos, @JsonProperty("endReason") String endReason) {
		return new Term(member, epoch, startNanos, Nanos.orNever(endNanos), Nanos.orNever(deadlineNanos), endReason);
	}

	/**
	 * The end of the belief that counts: the earlier of the recorded end and the deadline.
	 * @return {@code min(endNanos, deadlineNanos)}
	 */
	public long effectiveEndNanos() {
		return Math.min(this.endNanos, this.deadlineNanos);
	}

	/**
	 * Whether the member logged the end of this term.
	 * @return whether {@code endNanos} is not {@link Long#MAX_VALUE}
	 */
	public boolean closed() {
		return this.endNanos != Nanos.NEVER;
	}

	/**
	 * Short description for violation messages.
	 * @return the description
	 */
	public String describe() {
		return this.member + " epoch " + this.epoch + " [" + this.startNanos + ", "
				+ Nanos.format(effectiveEndNanos()) + ")";
	}

}
