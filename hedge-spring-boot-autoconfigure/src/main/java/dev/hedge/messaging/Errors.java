package dev.hedge.messaging;

import dev.hedge.transport.grpc.Failure;

/** Turns a transport failure into the typed exception callers see. */
final class Errors {

	private Errors() {
	}

	static MessagingException from(String member, Throwable error) {
		if (error instanceof MessagingException messaging) {
			return messaging;
		}
		Failure failure = Failure.from(error);
		return switch (failure.kind()) {
			case NOT_LEADER -> new NotLeaderException(member, failure.leaderHint(), failure.leaderEpoch());
			case NOT_READY, UNAVAILABLE -> new MemberUnavailableException(member, failure.message(), false, error);
			case TIMEOUT -> new MemberUnavailableException(member, failure.message(), true, error);
			case HANDLER_FAILED -> new HandlerFailedException(member, failure.message());
			case NO_HANDLER, TOO_LARGE, INVALID, WRONG_GROUP, UNAUTHENTICATED -> new RequestRejectedException(member, failure.kind(),
					failure.message());
			case OTHER -> new MessagingException("call to " + member + " failed: " + failure.message(), error, false);
		};
	}

}
