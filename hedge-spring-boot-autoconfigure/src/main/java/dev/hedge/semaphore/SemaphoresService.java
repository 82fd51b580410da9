package dev.hedge.semaphore;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.stub.StreamObserver;

import dev.hedge.common.Durations;
import dev.hedge.election.Leadership;
import dev.hedge.messaging.Failures;
import dev.hedge.messaging.NotLeaderException;
import dev.hedge.messaging.RequestRejectedException;
import dev.hedge.transport.grpc.Failure;
import dev.hedge.transport.grpc.HedgeHeaders;
import dev.hedge.transport.grpc.proto.AcquireReply;
import dev.hedge.transport.grpc.proto.AcquireRequest;
import dev.hedge.transport.grpc.proto.DefineReply;
import dev.hedge.transport.grpc.proto.DefineRequest;
import dev.hedge.transport.grpc.proto.ReleaseReply;
import dev.hedge.transport.grpc.proto.ReleaseRequest;
import dev.hedge.transport.grpc.proto.SemaphoresGrpc;

/**
 * {@code hedge.v1.Semaphores}: the gRPC adapter of {@link SemaphoreCoordinator}. Validates each request, refuses it
 * with NOT_LEADER (and the leader it knows) unless this node leads, maps the coordinator's answers to the wire and its
 * failures to typed statuses. The caller's member id comes from the authenticated call headers. Thread-safe.
 */
final class SemaphoresService extends SemaphoresGrpc.SemaphoresImplBase {

	private final String self;

	private final Leadership leadership;

	private final SemaphoreCoordinator coordinator;

	SemaphoresService(String self, Leadership leadership, SemaphoreCoordinator coordinator) {
		this.self = self;
		this.leadership = leadership;
		this.coordinator = coordinator;
	}

	@Override
	public void define(DefineRequest request, StreamObserver<DefineReply> responses) {
		answer(responses, () -> {
			Semaphores.validate(request.getName(), request.getLimit());
			return DefineReply.newBuilder()
				.setLimit(this.coordinator.define(request.getName(), request.getLimit()))
				.build();
		});
	}

	@Override
	public void acquire(AcquireRequest request, StreamObserver<AcquireReply> responses) {
		answer(responses, () -> {
			Semaphores.validate(request.getName());
			Semaphores.validatePermitId(request.getPermitId());
			Duration wait = Duration.ofMillis(Math.max(0, request.getWaitMillis()));
			Deadline deadline = Context.current().getDeadline();
			if (deadline != null) {
				// half of what the caller still waits stays for the grant transaction and the reply
				long half = Math.max(0, deadline.timeRemaining(TimeUnit.NANOSECONDS) / 2);
				wait = Durations.min(wait, Duration.ofNanos(half));
			}
			return toWire(this.coordinator.acquire(request.getName(), request.getPermitId(),
					HedgeHeaders.caller().sender(), wait));
		});
	}

	@Override
	public void release(ReleaseRequest request, StreamObserver<ReleaseReply> responses) {
		answer(responses, () -> {
			Semaphores.validate(request.getName());
			Semaphores.validatePermitId(request.getPermitId());
			return toWire(this.coordinator.release(request.getName(), request.getPermitId(),
					HedgeHeaders.caller().sender()));
		});
	}

	static AcquireReply toWire(AcquireAnswer answer) {
		AcquireReply.Builder reply = AcquireReply.newBuilder()
			.setGranted(answer.granted())
			.setEpoch(answer.epoch())
			.setWaited(answer.waited());
		if (answer.grantedAt() != null) {
			reply.setCommitSeconds(answer.grantedAt().getEpochSecond()).setCommitNanos(answer.grantedAt().getNano());
		}
		return reply.build();
	}

	static AcquireAnswer fromWire(AcquireReply reply) {
		Instant at = reply.getGranted() ? Instant.ofEpochSecond(reply.getCommitSeconds(), reply.getCommitNanos()) : null;
		return new AcquireAnswer(reply.getGranted(), reply.getEpoch(), at, reply.getWaited());
	}

	static ReleaseReply toWire(Optional<Instant> released) {
		return released.map((at) -> ReleaseReply.newBuilder()
			.setReleased(true)
			.setCommitSeconds(at.getEpochSecond())
			.setCommitNanos(at.getNano())
			.build()).orElseGet(() -> ReleaseReply.newBuilder().setReleased(false).build());
	}

	static Optional<Instant> fromWire(ReleaseReply reply) {
		return reply.getReleased() ? Optional.of(Instant.ofEpochSecond(reply.getCommitSeconds(), reply.getCommitNanos()))
				: Optional.empty();
	}

	private <T> void answer(StreamObserver<T> responses, Supplier<T> work) {
		T reply;
		try {
			if (!this.leadership.isLeader()) {
				throw new NotLeaderException(this.self, this.leadership.leaderId().orElse(null),
						this.leadership.epoch());
			}
			reply = work.get();
		}
		catch (InvalidSemaphoreException ex) {
			fail(responses, new RequestRejectedException(this.self, Failure.Kind.INVALID, ex.getMessage()));
			return;
		}
		catch (RuntimeException ex) {
			fail(responses, ex);
			return;
		}
		responses.onNext(reply);
		responses.onCompleted();
	}

	private void fail(StreamObserver<?> responses, RuntimeException ex) {
		responses.onError(Failures
			.of(this.self, ex, this.leadership.leaderId().orElse(null), this.leadership.epoch())
			.toException());
	}

}
