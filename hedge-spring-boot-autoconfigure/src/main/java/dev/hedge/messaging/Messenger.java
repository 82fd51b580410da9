package dev.hedge.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import com.google.protobuf.ByteString;
import io.grpc.BindableService;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

import dev.hedge.common.NamedThreads;
import dev.hedge.common.NotRunningException;
import dev.hedge.common.OperationObserver;
import dev.hedge.election.Leadership;
import dev.hedge.membership.LeaderRouter;
import dev.hedge.membership.Membership;
import dev.hedge.transport.grpc.Failure;
import dev.hedge.transport.grpc.HedgeHeaders;
import dev.hedge.transport.grpc.PeerChannels;
import dev.hedge.transport.grpc.proto.MessagingGrpc;
import dev.hedge.transport.grpc.proto.Payload;
import dev.hedge.transport.grpc.proto.Reply;

/**
 * Send-to-leader, broadcast and their streaming variants, plus the {@code hedge.v1.Messaging} service answering them.
 *
 * <p>The leader is found in memory ({@link LeaderRouter}); nothing on these paths reads the store. A leader sending
 * to itself calls its handler directly, without a network hop. A member that is not the leader refuses with
 * NOT_LEADER and names the leader it knows; {@link #send} re-routes once to that hint, {@link #sendToLeader} keeps
 * retrying retryable failures with exponential backoff (resilience4j) until its attempts or deadline run out. Every
 * remote call has a deadline. Broadcasts go to every member of the current list in parallel and report one result per
 * member.
 *
 * <p>Thread-safe. Owns the pool {@code hedge-<group>-streams-n} that runs stream sessions and asynchronous broadcast
 * callbacks; {@link #close()} stops it.
 */
public final class Messenger implements AutoCloseable {

	private final String self;

	private final Leadership leadership;

	private final LeaderRouter router;

	private final Membership membership;

	private final PeerChannels channels;

	private final MessagingOptions options;

	private final ExecutorService pool;

	private volatile boolean closed;

	private volatile MessageHandler leaderHandler;

	private volatile MessageHandler broadcastHandler;

	private volatile StreamHandler leaderStreamHandler;

	private volatile StreamHandler broadcastStreamHandler;

	private final LeaderCalls leaderCalls;

	private volatile boolean ready;

	private volatile OperationObserver operationObserver = OperationObserver.NONE;

	/**
	 * Creates the messenger.
	 * @param group the group (for thread names)
	 * @param self this node's id
	 * @param leadership the election state
	 * @param router where leader-bound calls go
	 * @param membership the member list broadcasts go to
	 * @param channels the peer channels
	 * @param options deadlines and the default retry policy
	 */
	public Messenger(String group, String self, Leadership leadership, LeaderRouter router, Membership membership,
			PeerChannels channels, MessagingOptions options) {
		this.self = self;
		this.leadership = leadership;
		this.router = router;
		this.membership = membership;
		this.channels = channels;
		this.options = options;
		this.leaderCalls = new LeaderCalls(self, router, channels);
		this.pool = Executors.newCachedThreadPool(NamedThreads.pool(NamedThreads.owner(group), "streams"));
	}

	/** Starts answering calls (before this, calls get a retryable NOT_READY). */
	public void start() {
		this.ready = true;
	}

	/**
	 * Sets the handler that answers {@link #send} while this node leads.
	 * @param handler the handler, or null to remove it
	 */
	public void setLeaderHandler(MessageHandler handler) {
		this.leaderHandler = handler;
	}

	/**
	 * Sets the handler that answers broadcasts on this node.
	 * @param handler the handler, or null to remove it
	 */
	public void setBroadcastHandler(MessageHandler handler) {
		this.broadcastHandler = handler;
	}

	/**
	 * Sets the handler for streams sent to the leader.
	 * @param handler the handler, or null to remove it
	 */
	public void setLeaderStreamHandler(StreamHandler handler) {
		this.leaderStreamHandler = handler;
	}

	/**
	 * Sets the handler for broadcast streams on this node.
	 * @param handler the handler, or null to remove it
	 */
	public void setBroadcastStreamHandler(StreamHandler handler) {
		this.broadcastStreamHandler = handler;
	}

	/**
	 * Sets the observer told about every completed send and broadcast (streams are not observed).
	 * @param observer the observer
	 */
	public void setOperationObserver(OperationObserver observer) {
		this.operationObserver = java.util.Objects.requireNonNull(observer);
	}

	/**
	 * The options in use.
	 * @return the options
	 */
	public MessagingOptions options() {
		return this.options;
	}

	// ---- send ----

	/**
	 * Sends a message to the leader's handler with the default deadline.
	 * @param payload the message
	 * @return the handler's reply
	 * @throws MessagingException typed by cause; see {@link #send(byte[], Duration)}
	 */
	public byte[] send(byte[] payload) {
		return send(payload, this.options.callTimeout());
	}

	/**
	 * Sends a message to the leader's handler: one attempt, re-routed once if the member called names another
	 * leader.
	 * @param payload the message
	 * @param timeout the deadline of the whole call
	 * @return the handler's reply (empty if it returned null)
	 * @throws NoLeaderException if no leader is known
	 * @throws NotLeaderException if the member called (and the one it named) do not lead
	 * @throws MemberUnavailableException if the leader could not be reached or did not answer in time
	 * @throws HandlerFailedException if the handler threw
	 * @throws RequestRejectedException if the leader has no handler or the message is too large
	 */
	public byte[] send(byte[] payload, Duration timeout) {
		requireRunning("send");
		return OperationOutcomes.observe(this.operationObserver, OperationObserver.Operation.SEND,
				() -> this.leaderCalls.once(sendCall(payload), timeout));
	}

	private LeaderCalls.Call<byte[]> sendCall(byte[] payload) {
		return new LeaderCalls.Call<>() {
			@Override
			public byte[] local(Duration timeout) {
				return handleLocally(payload);
			}

			@Override
			public byte[] remote(io.grpc.Channel channel, Duration timeout) {
				Reply reply = MessagingGrpc.newBlockingStub(channel)
					.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
					.send(Payload.newBuilder().setData(ByteString.copyFrom(payload)).build());
				return reply.getData().toByteArray();
			}
		};
	}

	private byte[] handleLocally(byte[] payload) {
		if (!this.leadership.isLeader()) {
			throw new NotLeaderException(this.self, null, this.router.epoch());
		}
		MessageHandler handler = this.leaderHandler;
		if (handler == null) {
			throw new RequestRejectedException(this.self, Failure.Kind.NO_HANDLER, "no leader handler registered");
		}
		try {
			byte[] reply = handler.handle(new InboundMessage(this.self, payload));
			return (reply != null) ? reply : new byte[0];
		}
		catch (Exception ex) {
			throw new HandlerFailedException(this.self, ex);
		}
	}

	/**
	 * Sends to the leader with the default retry policy.
	 * @param payload the message
	 * @return the handler's reply
	 * @throws MessagingException the last failure once the policy gives up
	 */
	public byte[] sendToLeader(byte[] payload) {
		return sendToLeader(payload, this.options.sendRetry());
	}

	/**
	 * Sends to the leader, retrying retryable failures (no leader, not the leader, unreachable) with exponential
	 * backoff until an attempt succeeds, a non-retryable failure occurs, or attempts or deadline run out. Every attempt
	 * really sends (unlike hedge-Go's "retry forever", which never did). An attempt that timed out is not retried:
	 * the handler may have run.
	 * @param payload the message
	 * @param retry the policy
	 * @return the handler's reply
	 * @throws MessagingException the last failure
	 */
	public byte[] sendToLeader(byte[] payload, SendOptions retry) {
		requireRunning("sendToLeader");
		return OperationOutcomes.observe(this.operationObserver, OperationObserver.Operation.SEND,
				() -> this.leaderCalls.withRetry(sendCall(payload), retry, this.options.callTimeout(), false));
	}

	// ---- broadcast ----

	/**
	 * Broadcasts to every current member in parallel and waits for every result.
	 * @param payload the message
	 * @param options targets and deadline
	 * @return one result per target, in the order they completed
	 */
	public List<BroadcastResult> broadcast(byte[] payload, BroadcastOptions options) {
		List<BroadcastResult> results = java.util.Collections.synchronizedList(new ArrayList<>());
		broadcast(payload, options, results::add).join();
		return new ArrayList<>(results);
	}

	/**
	 * Broadcasts to every current member in parallel, handing each result to {@code callback} as it completes. The
	 * operation observer sees one broadcast when all have completed: {@code OK} when every target answered, otherwise
	 * the outcome of the first failure.
	 * @param payload the message
	 * @param options targets and deadline
	 * @param callback called once per target, possibly concurrently, on transport or pool threads
	 * @return completes when every target has answered or failed (and the operation observer was told)
	 */
	public CompletableFuture<Void> broadcast(byte[] payload, BroadcastOptions options,
			Consumer<BroadcastResult> callback) {
		requireRunning("broadcast");
		long started = System.nanoTime();
		AtomicReference<OperationObserver.Outcome> firstFailure = new AtomicReference<>();
		Consumer<BroadcastResult> onResult = (result) -> {
			if (!result.ok()) {
				firstFailure.compareAndSet(null, OperationOutcomes.of(result.error()));
			}
			callback.accept(result);
		};
		Duration timeout = (options.timeout() != null) ? options.timeout() : this.options.callTimeout();
		List<CompletableFuture<Void>> calls = new ArrayList<>();
		for (String member : targets(options)) {
			CompletableFuture<Void> done = new CompletableFuture<>();
			calls.add(done);
			if (member.equals(this.self)) {
				try {
					this.pool.execute(() -> {
						deliver(onResult, localBroadcast(payload));
						done.complete(null);
					});
				}
				catch (RejectedExecutionException ex) {
					// closed while this broadcast started
					deliver(onResult, new BroadcastResult(member, null,
							new MemberUnavailableException(member, "this node closed", false, ex)));
					done.complete(null);
				}
				continue;
			}
			try {
				MessagingGrpc.newStub(this.channels.channel(member))
					.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
					.broadcast(Payload.newBuilder().setData(ByteString.copyFrom(payload)).build(),
							new StreamObserver<>() {
								@Override
								public void onNext(Reply reply) {
									deliver(onResult, new BroadcastResult(member, reply.getData().toByteArray(), null));
								}

								@Override
								public void onError(Throwable error) {
									deliver(onResult, new BroadcastResult(member, null, Errors.from(member, error)));
									done.complete(null);
								}

								@Override
								public void onCompleted() {
									done.complete(null);
								}
							});
			}
			catch (RuntimeException ex) {
				deliver(onResult, new BroadcastResult(member, null, Errors.from(member, ex)));
				done.complete(null);
			}
		}
		return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
			.whenComplete((done, error) -> OperationOutcomes.report(this.operationObserver,
					OperationObserver.Operation.BROADCAST,
					(firstFailure.get() != null) ? firstFailure.get() : OperationObserver.Outcome.OK, started));
	}

	private void requireRunning(String operation) {
		if (this.closed) {
			throw new NotRunningException(operation + " on " + this.self + ": this hedge node is closed");
		}
	}

	private static void deliver(Consumer<BroadcastResult> onResult, BroadcastResult result) {
		try {
			onResult.accept(result);
		}
		catch (RuntimeException ex) {
			org.slf4j.LoggerFactory.getLogger(Messenger.class).error("Broadcast result consumer failed", ex);
		}
	}

	private BroadcastResult localBroadcast(byte[] payload) {
		MessageHandler handler = this.broadcastHandler;
		if (handler == null) {
			return new BroadcastResult(this.self, null, new RequestRejectedException(this.self,
					Failure.Kind.NO_HANDLER, "no broadcast handler registered"));
		}
		try {
			byte[] reply = handler.handle(new InboundMessage(this.self, payload));
			return new BroadcastResult(this.self, (reply != null) ? reply : new byte[0], null);
		}
		catch (Exception ex) {
			return new BroadcastResult(this.self, null, new HandlerFailedException(this.self, ex));
		}
	}

	private List<String> targets(BroadcastOptions options) {
		List<String> targets = new ArrayList<>();
		for (String member : this.membership.members()) {
			if (options.skipSelf() && member.equals(this.self)) {
				continue;
			}
			if (!options.onlySendTo().isEmpty() && !options.onlySendTo().contains(member)) {
				continue;
			}
			targets.add(member);
		}
		return targets;
	}

	// ---- streams ----

	/**
	 * Opens a stream to the leader's stream handler (through the network even when this node leads, so the session
	 * runs exactly as for a remote sender).
	 * @return the stream
	 * @throws NoLeaderException if no leader is known
	 */
	public MessageStream openLeaderStream() {
		requireRunning("openLeaderStream");
		String target = this.router.leader().orElseThrow(NoLeaderException::new);
		return openStream(target, true);
	}

	/**
	 * Opens one stream per target member to their broadcast stream handlers. A member whose stream fails reports
	 * that on its own stream; the others are unaffected.
	 * @param options targets (the deadline of the streams is the messaging stream timeout)
	 * @return the streams
	 */
	public BroadcastStream openBroadcastStream(BroadcastOptions options) {
		requireRunning("openBroadcastStream");
		Map<String, MessageStream> streams = new LinkedHashMap<>();
		for (String member : targets(options)) {
			streams.put(member, openStream(member, false));
		}
		return new BroadcastStream(streams);
	}

	private MessageStream openStream(String target, boolean toLeader) {
		long deadline = System.nanoTime() + this.options.streamTimeout().toNanos();
		ClientStream stream = new ClientStream(target, deadline);
		MessagingGrpc.MessagingStub stub = MessagingGrpc.newStub(this.channels.channel(target))
			.withDeadlineAfter(this.options.streamTimeout().toMillis(), TimeUnit.MILLISECONDS);
		if (toLeader) {
			stub.sendStream(stream);
		}
		else {
			stub.broadcastStream(stream);
		}
		return stream;
	}

	// ---- the service ----

	/**
	 * The gRPC service to serve on this node's server.
	 * @return the service
	 */
	public BindableService service() {
		return new Service();
	}

	@Override
	public void close() {
		this.closed = true;
		this.ready = false;
		this.pool.shutdown();
		try {
			if (!this.pool.awaitTermination(2, TimeUnit.SECONDS)) {
				this.pool.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.pool.shutdownNow();
		}
	}

	private final class Service extends MessagingGrpc.MessagingImplBase {

		@Override
		public void send(Payload request, StreamObserver<Reply> responses) {
			Failure refusal = leaderRefusal(Messenger.this.leaderHandler, "leader handler");
			if (refusal != null) {
				responses.onError(refusal.toException());
				return;
			}
			long epoch = Messenger.this.leadership.epoch();
			answer(Messenger.this.leaderHandler, request, epoch, responses);
		}

		@Override
		public void broadcast(Payload request, StreamObserver<Reply> responses) {
			MessageHandler handler = Messenger.this.broadcastHandler;
			if (!Messenger.this.ready) {
				responses.onError(Failure.of(Failure.Kind.NOT_READY, "member not started").toException());
				return;
			}
			if (handler == null) {
				responses.onError(Failure.of(Failure.Kind.NO_HANDLER, "no broadcast handler registered").toException());
				return;
			}
			answer(handler, request, 0, responses);
		}

		private void answer(MessageHandler handler, Payload request, long epoch, StreamObserver<Reply> responses) {
			byte[] reply;
			try {
				reply = handler.handle(new InboundMessage(HedgeHeaders.caller().sender(), request.getData().toByteArray()));
			}
			catch (Exception | LinkageError ex) {
				responses.onError(Failure.of(Failure.Kind.HANDLER_FAILED, String.valueOf(ex)).toException());
				return;
			}
			responses.onNext(Reply.newBuilder()
				.setData((reply != null) ? ByteString.copyFrom(reply) : ByteString.EMPTY)
				.setEpoch(epoch)
				.build());
			responses.onCompleted();
		}

		@Override
		public StreamObserver<Payload> sendStream(StreamObserver<Payload> responses) {
			return stream(responses, Messenger.this.leaderStreamHandler, true);
		}

		@Override
		public StreamObserver<Payload> broadcastStream(StreamObserver<Payload> responses) {
			return stream(responses, Messenger.this.broadcastStreamHandler, false);
		}

		private StreamObserver<Payload> stream(StreamObserver<Payload> responses, StreamHandler handler,
				boolean leaderOnly) {
			Failure refusal = leaderOnly ? leaderRefusal(handler, "leader stream handler")
					: (!Messenger.this.ready) ? Failure.of(Failure.Kind.NOT_READY, "member not started")
							: (handler == null) ? Failure.of(Failure.Kind.NO_HANDLER, "no broadcast stream handler")
									: null;
			ServerCallStreamObserver<Payload> out = (ServerCallStreamObserver<Payload>) responses;
			ServerStream stream = new ServerStream(out, new SerialExecutor(Messenger.this.pool),
					HedgeHeaders.caller().sender(), Messenger.this.options.callTimeout());
			if (refusal != null) {
				responses.onError(refusal.toException());
				return stream;
			}
			stream.open(handler);
			return stream;
		}

		private Failure leaderRefusal(Object handler, String what) {
			if (!Messenger.this.ready) {
				return Failure.of(Failure.Kind.NOT_READY, "member not started");
			}
			long callerEpoch = HedgeHeaders.caller().epoch();
			if (!Messenger.this.leadership.isLeader() || callerEpoch > Messenger.this.leadership.epoch()) {
				Optional<String> leader = Messenger.this.router.leader()
					.filter((id) -> !id.equals(Messenger.this.self));
				return Failure.notLeader(leader.orElse(null), Messenger.this.router.epoch());
			}
			if (handler == null) {
				return Failure.of(Failure.Kind.NO_HANDLER, "no " + what + " registered");
			}
			return null;
		}

	}

}
