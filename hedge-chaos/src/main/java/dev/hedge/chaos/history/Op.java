package dev.hedge.chaos.history;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One client operation as a member's workload driver saw it, Jepsen style: invoked at {@code invokeNanos}, completed
 * at {@code returnNanos} with an outcome {@code type}.
 *
 * <p>Immutable and therefore thread-safe.
 *
 * @param process id of the member (process) that issued the operation
 * @param opId id of the operation, unique within its process
 * @param f the function: {@value #PUT}, {@value #GET}, {@value #GET_ALL}, {@value #SEND}, {@value #BROADCAST},
 * {@value #ACQUIRE} or {@value #RELEASE}
 * @param key the key (or semaphore name), {@code null} when the function has none
 * @param value for a put the unique value written; for a get the value read ({@code null} = empty)
 * @param values for a get-all, every value of the key, newest first; {@code null} otherwise
 * @param invokeNanos {@code System.nanoTime()} just before the call
 * @param returnNanos {@code System.nanoTime()} just after the call; {@link Long#MAX_VALUE} when it never returned
 * @param type {@value #OK} (definitely happened), {@value #FAIL} (definitely did not happen) or {@value #INFO}
 * (unknown, for example a timeout)
 * @param error the error, {@code null} when none
 * @param epoch the leader epoch the operation ran under when known, else {@code 0}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Op(String process, long opId, String f, String key, String value, List<String> values,
		long invokeNanos, long returnNanos, String type, String error, long epoch) {

	/** Outcome: the operation definitely happened. */
	public static final String OK = "ok";

	/** Outcome: the operation definitely did not happen. */
	public static final String FAIL = "fail";

	/** Outcome: unknown (timeout, connection lost after sending, ...). */
	public static final String INFO = "info";

	/** Function: write a value. */
	public static final String PUT = "put";

	/** Function: read the latest value. */
	public static final String GET = "get";

	/** Function: read every value, newest first. */
	public static final String GET_ALL = "get-all";

	/** Function: send a message to the leader. */
	public static final String SEND = "send";

	/** Function: broadcast a message to every member. */
	public static final String BROADCAST = "broadcast";

	/** Function: acquire a semaphore permit. */
	public static final String ACQUIRE = "acquire";

	/** Function: release a semaphore permit. */
	public static final String RELEASE = "release";

	/**
	 * Creates an operation, copying {@code values}.
	 */
	public Op {
		values = (values != null) ? Collections.unmodifiableList(new ArrayList<>(values)) : null;
	}

	@JsonCreator
	static Op fromJson(@JsonProperty("process") String process, @JsonProperty("opId") long opId,
			@JsonProperty("f") String f, @JsonProperty("key") String key, @JsonProperty("value") String value,
			@JsonProperty("values") List<String> values, @JsonProperty("invokeNanos") long invokeNanos,
			@JsonProperty("returnNanos") Long returnNanos, @JsonProperty("type") String type,
			@JsonProperty("error") String error, @JsonProperty("epoch") long epoch) {
		return new Op(process, opId, f, key, value, values, invokeNanos, Nanos.orNever(returnNanos), type, error,
				epoch);
	}

	/**
	 * A put of {@code value} to {@code key}.
	 * @param process the member
	 * @param opId the operation id
	 * @param key the key
	 * @param value the unique value written
	 * @param invokeNanos invocation time
	 * @param returnNanos return time ({@link Long#MAX_VALUE} if none)
	 * @param type the outcome
	 * @return the operation
	 */
	public static Op put(String process, long opId, String key, String value, long invokeNanos, long returnNanos,
			String type) {
		return new Op(process, opId, PUT, key, value, null, invokeNanos, returnNanos, type, null, 0);
	}

	/**
	 * A get of {@code key} that read {@code value}.
	 * @param process the member
	 * @param opId the operation id
	 * @param key the key
	 * @param value the value read, {@code null} for "empty"
	 * @param invokeNanos invocation time
	 * @param returnNanos return time ({@link Long#MAX_VALUE} if none)
	 * @param type the outcome
	 * @return the operation
	 */
	public static Op get(String process, long opId, String key, String value, long invokeNanos, long returnNanos,
			String type) {
		return new Op(process, opId, GET, key, value, null, invokeNanos, returnNanos, type, null, 0);
	}

	/**
	 * A get-all of {@code key} that read {@code values}, newest first.
	 * @param process the member
	 * @param opId the operation id
	 * @param key the key
	 * @param values the values read, newest first
	 * @param invokeNanos invocation time
	 * @param returnNanos return time ({@link Long#MAX_VALUE} if none)
	 * @param type the outcome
	 * @return the operation
	 */
	public static Op getAll(String process, long opId, String key, List<String> values, long invokeNanos,
			long returnNanos, String type) {
		return new Op(process, opId, GET_ALL, key, null, values, invokeNanos, returnNanos, type, null, 0);
	}

	/**
	 * Whether the operation definitely happened ({@value #OK}).
	 * @return whether the outcome is ok
	 */
	public boolean succeeded() {
		return OK.equals(this.type);
	}

	/**
	 * Whether the operation definitely did not happen ({@value #FAIL}).
	 * @return whether the outcome is fail
	 */
	public boolean failed() {
		return FAIL.equals(this.type);
	}

	/**
	 * Whether the outcome is unknown: {@value #INFO}, or any type other than ok and fail.
	 * @return whether the operation may or may not have happened
	 */
	public boolean outcomeUnknown() {
		return !succeeded() && !failed();
	}

	/**
	 * Whether the operation returned at all.
	 * @return whether {@code returnNanos} is not {@link Long#MAX_VALUE}
	 */
	public boolean returned() {
		return this.returnNanos != Long.MAX_VALUE;
	}

	/**
	 * Short description for violation messages, such as {@code m1#17 put k03=m1-9 [ok]}.
	 * @return the description
	 */
	public String describe() {
		StringBuilder text = new StringBuilder().append(this.process).append('#').append(this.opId).append(' ')
			.append(this.f);
		if (this.key != null) {
			text.append(' ').append(this.key);
		}
		if (this.values != null) {
			text.append('=').append(this.values);
		}
		else if (PUT.equals(this.f) || GET.equals(this.f) || this.value != null) {
			text.append('=').append(this.value);
		}
		return text.append(" [").append(this.type).append("] @").append(this.invokeNanos).append("..")
			.append(Nanos.format(this.returnNanos)).toString();
	}

}
