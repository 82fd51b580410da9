package dev.hedge.replicator;

/** A message or stored row whose values cannot be decoded (answered INVALID_ARGUMENT on the wire). */
final class MalformedDataException extends ReplicationException {

	private static final long serialVersionUID = 1L;

	MalformedDataException(String message) {
		super(message);
	}

	MalformedDataException(String message, Throwable cause) {
		super(message, cause);
	}

}
