package dev.hedge.transport.grpc;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * A typed failure crossing the wire: the server closes a call with a gRPC status plus the trailer
 * {@code hedge-error} (and, for {@link Kind#NOT_LEADER}, {@code hedge-leader} and {@code hedge-leader-epoch}); the
 * client turns any {@link StatusRuntimeException} back into a {@code Failure}. Immutable.
 *
 * @param kind what went wrong
 * @param message the remote description
 * @param leaderHint the leader as the refusing member knows it (NOT_LEADER only; may be null)
 * @param leaderEpoch the epoch of that leader (NOT_LEADER only)
 */
public record Failure(Kind kind, String message, String leaderHint, long leaderEpoch) {

	static final Metadata.Key<String> ERROR = Metadata.Key.of("hedge-error", Metadata.ASCII_STRING_MARSHALLER);

	static final Metadata.Key<String> LEADER = Metadata.Key.of("hedge-leader", Metadata.ASCII_STRING_MARSHALLER);

	static final Metadata.Key<String> LEADER_EPOCH = Metadata.Key.of("hedge-leader-epoch",
			Metadata.ASCII_STRING_MARSHALLER);

	/** Failure kinds. */
	public enum Kind {

		/** The receiver does not lead; re-route to {@link Failure#leaderHint()}. Retryable. */
		NOT_LEADER(Status.Code.FAILED_PRECONDITION, true),

		/** The receiver is not started yet, or is shutting down. Retryable. */
		NOT_READY(Status.Code.UNAVAILABLE, true),

		/** The receiver could not be reached. Retryable. */
		UNAVAILABLE(Status.Code.UNAVAILABLE, true),

		/** The call hit its deadline; its effect is unknown. Retryable for idempotent calls. */
		TIMEOUT(Status.Code.DEADLINE_EXCEEDED, true),

		/** No handler is registered for this kind of message on the receiver. */
		NO_HANDLER(Status.Code.UNIMPLEMENTED, false),

		/** The receiver's handler threw; the message says what. */
		HANDLER_FAILED(Status.Code.UNKNOWN, false),

		/** The message exceeds a size limit. */
		TOO_LARGE(Status.Code.RESOURCE_EXHAUSTED, false),

		/** The request is malformed. */
		INVALID(Status.Code.INVALID_ARGUMENT, false),

		/** The receiver belongs to another group. */
		WRONG_GROUP(Status.Code.FAILED_PRECONDITION, false),

		/**
		 * The receiver could not authenticate the call (no or another group secret, a plaintext connection where TLS
		 * is required, a call from another host where only loopback is allowed, a replay), or the caller could not
		 * authenticate the reply.
		 */
		UNAUTHENTICATED(Status.Code.UNAUTHENTICATED, false),

		/** Anything else. */
		OTHER(Status.Code.INTERNAL, false);

		private final Status.Code code;

		private final boolean retryable;

		Kind(Status.Code code, boolean retryable) {
			this.code = code;
			this.retryable = retryable;
		}

		/**
		 * The gRPC status code this kind is sent with.
		 * @return the code
		 */
		public Status.Code code() {
			return this.code;
		}

		/**
		 * Whether retrying (possibly elsewhere) can succeed.
		 * @return whether the kind is retryable
		 */
		public boolean retryable() {
			return this.retryable;
		}

	}

	/**
	 * The exception a server throws (or closes a call with) for this failure.
	 * @return the exception
	 */
	public StatusRuntimeException toException() {
		Status status = Status.fromCode(this.kind.code()).withDescription(this.message);
		return status.asRuntimeException(trailers(this.kind, this.leaderHint, this.leaderEpoch));
	}

	/**
	 * A NOT_LEADER failure.
	 * @param leaderHint the leader the refusing member knows, or null
	 * @param leaderEpoch its epoch
	 * @return the failure
	 */
	public static Failure notLeader(String leaderHint, long leaderEpoch) {
		return new Failure(Kind.NOT_LEADER, "not the leader" + ((leaderHint != null) ? "; try " + leaderHint : ""),
				leaderHint, leaderEpoch);
	}

	/**
	 * A failure of a given kind.
	 * @param kind the kind
	 * @param message the description
	 * @return the failure
	 */
	public static Failure of(Kind kind, String message) {
		return new Failure(kind, message, null, 0);
	}

	static Metadata trailers(Kind kind, String leaderHint, long leaderEpoch) {
		Metadata trailers = new Metadata();
		trailers.put(ERROR, kind.name());
		if (leaderHint != null) {
			trailers.put(LEADER, leaderHint);
			trailers.put(LEADER_EPOCH, Long.toString(leaderEpoch));
		}
		return trailers;
	}

	/**
	 * Reads a failure from any exception a call threw.
	 * @param error the exception
	 * @return the failure
	 */
	public static Failure from(Throwable error) {
		Status status = Status.fromThrowable(error);
		Metadata trailers = Status.trailersFromThrowable(error);
		String description = (status.getDescription() != null) ? status.getDescription() : status.getCode().name();
		String tag = (trailers != null) ? trailers.get(ERROR) : null;
		if (tag != null) {
			try {
				Kind kind = Kind.valueOf(tag);
				String leader = trailers.get(LEADER);
				String epoch = trailers.get(LEADER_EPOCH);
				return new Failure(kind, description, leader, parseEpoch(epoch));
			}
			catch (IllegalArgumentException ex) {
				// an unknown tag: fall through to the status code
			}
		}
		Kind kind = switch (status.getCode()) {
			case UNAVAILABLE, CANCELLED, ABORTED -> Kind.UNAVAILABLE;
			case DEADLINE_EXCEEDED -> Kind.TIMEOUT;
			case RESOURCE_EXHAUSTED -> Kind.TOO_LARGE;
			case INVALID_ARGUMENT -> Kind.INVALID;
			case UNIMPLEMENTED -> Kind.NO_HANDLER;
			case UNAUTHENTICATED -> Kind.UNAUTHENTICATED;
			default -> Kind.OTHER;
		};
		return new Failure(kind, description, null, 0);
	}

	private static long parseEpoch(String value) {
		try {
			return (value != null) ? Long.parseLong(value) : 0;
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

}
