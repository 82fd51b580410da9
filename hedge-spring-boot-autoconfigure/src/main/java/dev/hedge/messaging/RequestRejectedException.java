package dev.hedge.messaging;

import dev.hedge.transport.grpc.Failure;

/**
 * A member refused a request for a reason retrying cannot fix: no handler registered ({@link Failure.Kind#NO_HANDLER}),
 * the message is over the size limit ({@link Failure.Kind#TOO_LARGE}), the request is malformed
 * ({@link Failure.Kind#INVALID}), the member belongs to another group ({@link Failure.Kind#WRONG_GROUP}), or the call
 * or its reply could not be authenticated ({@link Failure.Kind#UNAUTHENTICATED}: another group secret or CA).
 */
public class RequestRejectedException extends MessagingException {

	private static final long serialVersionUID = 1L;

	private final Failure.Kind kind;

	/**
	 * Creates the exception.
	 * @param member the member that refused
	 * @param kind why
	 * @param message the description
	 */
	public RequestRejectedException(String member, Failure.Kind kind, String message) {
		super(member + " rejected the request (" + kind + "): " + message, false);
		this.kind = kind;
	}

	/**
	 * Why the request was rejected.
	 * @return the kind
	 */
	public Failure.Kind getKind() {
		return this.kind;
	}

}
