package dev.hedge.chaos.history;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One leader-side action (a put applied by the leader, a semaphore grant or release, the handling of a message sent
 * to the leader, ...), logged by the member around its work.
 *
 * <p>Immutable and therefore thread-safe.
 *
 * @param member id of the member that acted
 * @param kind what it did: {@code put}, {@code sem-grant}, {@code sem-release}, {@code send-handle}, ...
 * @param epoch the epoch (fencing token) the member acted under
 * @param startNanos {@code System.nanoTime()} before the action
 * @param endNanos {@code System.nanoTime()} after the action; {@link Long#MAX_VALUE} when it never finished
 * @param commitTimestampMicros the database commit timestamp of the action, {@code 0} if unknown
 * @param id an identifier of the action (for example the value written), or {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Effect(String member, String kind, long epoch, long startNanos, long endNanos,
		long commitTimestampMicros, String id) {

	@JsonCreator
	static Effect fromJson(@JsonProperty("member") String member, @JsonProperty("kind") String kind,
			@JsonProperty("epoch") long epoch, @JsonProperty("startNanos") long startNanos,
			@JsonProperty("endNanos") Long endNanos, @JsonProperty("commitTimestampMicros") long commitTimestampMicros,
			@JsonProperty("id") String id) {
		return new Effect(member, kind, epoch, startNanos, Nanos.orNever(endNanos), commitTimestampMicros, id);
	}

	/**
	 * An action without commit timestamp or id.
	 * @param member the member
	 * @param kind the kind
	 * @param epoch the epoch
	 * @param startNanos start time
	 * @param endNanos end time
	 * @return the effect
	 */
	public static Effect of(String member, String kind, long epoch, long startNanos, long endNanos) {
		return new Effect(member, kind, epoch, startNanos, endNanos, 0, null);
	}

	/**
	 * Short description for violation messages.
	 * @return the description
	 */
	public String describe() {
		return this.member + " " + this.kind + ((this.id != null) ? " " + this.id : "") + " epoch " + this.epoch
				+ " [" + this.startNanos + ", " + Nanos.format(this.endNanos) + "]"
				+ ((this.commitTimestampMicros != 0) ? " committed at " + this.commitTimestampMicros + " us" : "");
	}

}
