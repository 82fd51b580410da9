package dev.hedge.chaos.history;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One row of the leader history: the commit of a leadership takeover at a new epoch, as audited from the database
 * (clock-free: only commit timestamps are compared).
 *
 * <p>Immutable and therefore thread-safe.
 *
 * @param member id of the member that took over, or {@code null} if not recorded
 * @param epoch the new epoch (fencing token)
 * @param commitTimestampMicros the commit timestamp of the takeover transaction
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Takeover(String member, long epoch, long commitTimestampMicros) {

}
