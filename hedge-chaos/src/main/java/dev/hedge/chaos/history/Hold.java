package dev.hedge.chaos.history;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One semaphore permit hold as the holder believed it, optionally with the database commit timestamps of the grant
 * and of the release (or reclaim). Like a {@link Term}, the belief that counts ends at the earlier of
 * {@code endNanos} and {@code deadlineNanos} (see {@link #effectiveEndNanos()}), so a killed holder that logged no end
 * stops holding at its deadline.
 *
 * <p>Immutable and therefore thread-safe.
 *
 * @param member id of the holder
 * @param permitId id of the permit
 * @param semaphore name of the semaphore
 * @param limit the semaphore's limit
 * @param startNanos {@code System.nanoTime()} when the holder learnt the permit was granted
 * @param endNanos {@code System.nanoTime()} when the holder stopped believing it holds the permit;
 * {@link Long#MAX_VALUE} when never closed
 * @param deadlineNanos the holder's last computed deadline for the permit; {@link Long#MAX_VALUE} when unknown
 * @param grantTimestampMicros commit timestamp of the grant, {@code 0} if unknown
 * @param releaseTimestampMicros commit timestamp of the release or reclaim, {@code 0} if unknown or never released
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Hold(String member, String permitId, String semaphore, int limit, long startNanos, long endNanos,
		long deadlineNanos, long grantTimestampMicros, long releaseTimestampMicros) {

	@JsonCreator
	static Hold fromJson(@JsonProperty("member") String member, @JsonProperty("permitId") String permitId,
			@JsonProperty("semaphore") String semaphore, @JsonProperty("limit") int limit,
			@JsonProperty("startNanos") long startNanos, @JsonProperty("endNanos") Long endNanos,
			@JsonProperty("deadlineNanos") Long deadlineNanos,
			@JsonProperty("grantTimestampMicros") long grantTimestampMicros,
			@JsonProperty("releaseTimestampMicros") long releaseTimestampMicros) {
		return new Hold(member, permitId, semaphore, limit, startNanos, Nanos.orNever(endNanos),
				Nanos.orNever(deadlineNanos), grantTimestampMicros, releaseTimestampMicros);
	}

	/**
	 * A believed hold without deadline or commit timestamps.
	 * @param member the holder
	 * @param permitId the permit
	 * @param semaphore the semaphore
	 * @param limit the limit
	 * @param startNanos start of the belief
	 * @param endNanos end of the belief
	 * @return the hold
	 */
	public static Hold of(String member, String permitId, String semaphore, int limit, long startNanos,
			long endNanos) {
		return new Hold(member, permitId, semaphore, limit, startNanos, endNanos, Nanos.NEVER, 0, 0);
	}

	/**
	 * The end of the belief that counts: the earlier of the recorded end and the deadline.
	 * @return {@code min(endNanos, deadlineNanos)}
	 */
	public long effectiveEndNanos() {
		return Math.min(this.endNanos, this.deadlineNanos);
	}

	/**
	 * Short description for violation messages.
	 * @return the description
	 */
	public String describe() {
		return this.member + " permit " + this.permitId + " [" + this.startNanos + ", "
				+ Nanos.format(effectiveEndNanos()) + ")";
	}

}
