package dev.hedge.chain;

import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hedge.membership.LeaderRouter;
import dev.hedge.transport.grpc.Failure;
import dev.hedge.transport.grpc.HedgeHeaders;
import dev.hedge.transport.grpc.proto.ChainFetchReply;
import dev.hedge.transport.grpc.proto.ChainFetchRequest;
import dev.hedge.transport.grpc.proto.ChainForwardReply;
import dev.hedge.transport.grpc.proto.ChainForwardRequest;
import dev.hedge.transport.grpc.proto.ChainGrpc;
import dev.hedge.transport.grpc.proto.ChainHeartbeatReply;
import dev.hedge.transport.grpc.proto.ChainHeartbeatRequest;
import dev.hedge.transport.grpc.proto.ChainPushReply;
import dev.hedge.transport.grpc.proto.ChainPushRequest;
import dev.hedge.transport.grpc.proto.ChainReadReply;
import dev.hedge.transport.grpc.proto.ChainReadRequest;
import dev.hedge.transport.grpc.proto.ChainRefusal;
import dev.hedge.transport.grpc.proto.ChainScanReply;
import dev.hedge.transport.grpc.proto.ChainScanRequest;
import dev.hedge.transport.grpc.proto.ChainVersionReply;
import dev.hedge.transport.grpc.proto.ChainVersionRequest;
import dev.hedge.transport.grpc.proto.ChainWriteReply;
import dev.hedge.transport.grpc.proto.ChainWriteRequest;

/**
 * The server side of {@code hedge.v1.Chain}: turns each request into a call of this member's {@link ChainNode} (or
 * of the {@link ChainCoordinator} for heartbeats) and its outcome into a reply. A refusal is a reply with
 * {@code refusal} set; a malformed request (a bad configuration message, an empty key or write id, a version below
 * 1) ends the call with INVALID_ARGUMENT; a store failure with INTERNAL; nothing here throws to gRPC. Oversize and
 * unparsable messages are refused before they get here ({@code LateBoundService}, the server's message limit).
 * Calls run on gRPC's threads; thread-safe.
 */
final class ChainService extends ChainGrpc.ChainImplBase {

	private static final Logger logger = LoggerFactory.getLogger(ChainService.class);

	private final ChainNode node;

	private final Function<Heartbeat, Heartbeat.Answer> coordinator;

	private final LeaderRouter router;

	private final Supplier<Boolean> running;

	private final Counters counters;

	private final int maxScanBytes;

	ChainService(ChainNode node, Function<Heartbeat, Heartbeat.Answer> coordinator, LeaderRouter router,
			Supplier<Boolean> running, Counters counters, int maxScanBytes) {
		this.node = node;
		this.coordinator = coordinator;
		this.router = router;
		this.running = running;
		this.counters = counters;
		this.maxScanBytes = maxScanBytes;
	}

	@Override
	public void write(ChainWriteRequest request, StreamObserver<ChainWriteReply> responses) {
		answer(responses, () -> {
			requireKey(request.getKey());
			requireText("write id", request.getWriteId());
			return this.node.onWrite(request.getConfigVersion(), request.getKey(), request.getValue().toByteArray(),
					request.getWriteId(), request.getConditional() ? OptionalLong.of(request.getExpectedVersion())
							: OptionalLong.empty());
		}, (version) -> ChainWriteReply.newBuilder().setVersion(version).build(),
				(refusal) -> ChainWriteReply.newBuilder().setRefusal(refusal).build());
	}

	@Override
	public void forward(ChainForwardRequest request, StreamObserver<ChainForwardReply> responses) {
		answer(responses, () -> {
			requireKey(request.getKey());
			requireText("write id", request.getWriteId());
			if (request.getVersion() < 1) {
				throw new IllegalArgumentException("versions start at 1");
			}
			Item item = new Item(request.getKey(), request.getVersion(), request.getValue().toByteArray(),
					request.getWriteId(), false);
			return this.node.onForward(sender(), request.getConfigVersion(), item);
		}, (ignored) -> ChainForwardReply.getDefaultInstance(),
				(refusal) -> ChainForwardReply.newBuilder().setRefusal(refusal).build());
	}

	@Override
	public void read(ChainReadRequest request, StreamObserver<ChainReadReply> responses) {
		answer(responses, () -> {
			requireKey(request.getKey());
			return this.node.serveRead(request.getKey(), request.getLocal());
		}, (answer) -> {
			ChainReadReply.Builder reply = ChainReadReply.newBuilder().setDirty(answer.dirty());
			if (answer.value() != null) {
				reply.setFound(true)
					.setVersion(answer.value().version())
					.setValue(ByteString.copyFrom(answer.value().value()));
			}
			return reply.build();
		}, (refusal) -> ChainReadReply.newBuilder().setRefusal(refusal).build());
	}

	@Override
	public void version(ChainVersionRequest request, StreamObserver<ChainVersionReply> responses) {
		answer(responses, () -> {
			requireKey(request.getKey());
			return this.node.onVersion(request.getConfigVersion(), request.getKey());
		}, (version) -> ChainVersionReply.newBuilder().setVersion(version).build(),
				(refusal) -> ChainVersionReply.newBuilder().setRefusal(refusal).build());
	}

	@Override
	public void fetch(ChainFetchRequest request, StreamObserver<ChainFetchReply> responses) {
		answer(responses, () -> {
			requireKey(request.getKey());
			return CompletableFuture.completedFuture(
					this.node.onFetch(sender(), request.getConfigVersion(), request.getKey()));
		}, (entry) -> {
			ChainFetchReply.Builder reply = ChainFetchReply.newBuilder();
			entry.ifPresent((found) -> reply.setEntry(ChainWire.entry(found)));
			return reply.build();
		}, (refusal) -> ChainFetchReply.newBuilder().setRefusal(refusal).build());
	}

	@Override
	public void scan(ChainScanRequest request, StreamObserver<ChainScanReply> responses) {
		answer(responses, () -> {
			if (request.getLimit() < 1) {
				throw new IllegalArgumentException("a scan page holds at least 1 entry");
			}
			String after = request.getFirst() ? null : request.getAfterKey();
			return CompletableFuture.completedFuture(this.node.onScan(sender(), request.getConfigVersion(), after,
					request.getLimit(), this.maxScanBytes));
		}, (page) -> {
			ChainScanReply.Builder reply = ChainScanReply.newBuilder().setLast(page.isLast());
			page.entries().forEach((entry) -> reply.addEntries(ChainWire.entry(entry)));
			if (!page.isLast()) {
				reply.setNextAfterKey(page.nextAfterKey());
			}
			return reply.build();
		}, (refusal) -> ChainScanReply.newBuilder().setRefusal(refusal).build());
	}

	@Override
	public void heartbeat(ChainHeartbeatRequest request, StreamObserver<ChainHeartbeatReply> responses) {
		Heartbeat.Answer answer;
		try {
			ChainMember member = ChainWire.member(request.getMember());
			if (!member.id().equals(sender())) {
				throw new IllegalArgumentException("a member heartbeats for itself only");
			}
			answer = this.running.get() ? this.coordinator.apply(new Heartbeat(member, request.getConfigVersion(),
					request.getCaughtUp(), request.getLeaving())) : null;
		}
		catch (IllegalArgumentException ex) {
			responses.onError(Failure.of(Failure.Kind.INVALID, ex.getMessage()).toException());
			return;
		}
		if (answer == null) {
			String leader = this.router.leader().filter((id) -> !id.equals(this.router.self())).orElse(null);
			responses.onError(Failure.notLeader(leader, this.router.epoch()).toException());
			return;
		}
		responses.onNext(ChainHeartbeatReply.newBuilder()
			.setConfig(ChainWire.config(answer.config()))
			.setLeaseMillis(answer.leaseMillis())
			.build());
		responses.onCompleted();
	}

	@Override
	public void push(ChainPushRequest request, StreamObserver<ChainPushReply> responses) {
		ChainConfig config;
		try {
			config = ChainWire.config(request.getConfig());
		}
		catch (IllegalArgumentException ex) {
			responses.onError(Failure.of(Failure.Kind.INVALID, ex.getMessage()).toException());
			return;
		}
		if (this.running.get()) {
			this.node.adopt(config);
		}
		responses.onNext(ChainPushReply.getDefaultInstance());
		responses.onCompleted();
	}

	private static String sender() {
		return HedgeHeaders.caller().sender();
	}

	private static void requireKey(String key) {
		requireText("key", key);
	}

	private static void requireText(String what, String text) {
		if (text.isEmpty()) {
			throw new IllegalArgumentException("the " + what + " is empty");
		}
	}

	/** Runs a call and answers it: a reply, a refusal reply, INVALID_ARGUMENT or INTERNAL. */
	private <T, R> void answer(StreamObserver<R> responses, Supplier<CompletableFuture<T>> call,
			Function<T, R> reply, Function<ChainRefusal, R> refused) {
		CompletableFuture<T> future;
		try {
			if (!this.running.get()) {
				throw new ChainRefusedException(ChainRefusedException.Reason.NOT_RUNNING, "the chain is not running");
			}
			future = call.get();
		}
		catch (RuntimeException ex) {
			future = CompletableFuture.failedFuture(ex);
		}
		future.whenComplete((value, error) -> {
			if (error == null) {
				send(responses, () -> reply.apply(value));
				return;
			}
			Throwable cause = HeadWrites.unwrap(error);
			if (cause instanceof ChainRefusedException refusal) {
				this.counters.refusals.increment();
				send(responses, () -> refused.apply(ChainWire.refusal(refusal)));
			}
			else if (cause instanceof ChainLimitException limit) {
				this.counters.refusals.increment();
				send(responses, () -> refused.apply(ChainWire.refusal(
						new ChainRefusedException(ChainRefusedException.Reason.LIMIT, limit.getMessage()))));
			}
			else if (cause instanceof IllegalArgumentException invalid) {
				responses.onError(Failure.of(Failure.Kind.INVALID, invalid.getMessage()).toException());
			}
			else {
				logger.warn("Chain call failed on this member", cause);
				responses.onError(Failure.of(Failure.Kind.OTHER, String.valueOf(cause)).toException());
			}
		});
	}

	private static <R> void send(StreamObserver<R> responses, Supplier<R> reply) {
		R message;
		try {
			message = reply.get();
		}
		catch (RuntimeException ex) {
			responses.onError(Failure.of(Failure.Kind.OTHER, String.valueOf(ex)).toException());
			return;
		}
		try {
			responses.onNext(message);
			responses.onCompleted();
		}
		catch (RuntimeException ex) {
			// the call was cancelled meanwhile (its deadline passed): nothing to answer
		}
	}

}
