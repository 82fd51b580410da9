package dev.hedge.chain;

import dev.hedge.transport.grpc.Failure;

/**
 * A call to another member failed in transport (unreachable, deadline, not started, malformed): whether it was
 * applied is unknown for writes. Internal to the chain. No stack trace.
 */
final class ChainHopException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final transient Failure failure;

	ChainHopException(String target, Failure failure) {
		super("call to " + target + " failed: " + failure.kind() + " " + failure.message(), null, false, false);
		this.failure = failure;
	}

	Failure failure() {
		return this.failure;
	}

}
