package dev.hedge.kv;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.grpc.BindableService;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.stub.StreamObserver;

import dev.hedge.common.NotRunningException;
import dev.hedge.common.OperationObserver;
import dev.hedge.common.StoreException;
import dev.hedge.election.FencedException;
import dev.hedge.election.Leadership;
import dev.hedge.messaging.Failures;
import dev.hedge.messaging.LeaderCalls;
import dev.hedge.messaging.MemberUnavailableException;
import dev.hedge.messaging.NotLeaderException;
import dev.hedge.messaging.OperationOutcomes;
import dev.hedge.messaging.RequestRejectedException;
import dev.hedge.messaging.SendOptions;
import dev.hedge.transport.grpc.Failure;
import dev.hedge.transport.grpc.HedgeHeaders;
import dev.hedge.transport.grpc.proto.KeyValueGrpc;
import dev.hedge.transport.grpc.proto.PutReply;
import dev.hedge.transport.grpc.proto.PutRequest;

/**
 * The {@link KeyValueStore} of one node, plus the {@code hedge.v1.KeyValue} service that answers puts while this
 * node leads. A put gets a fresh UUID as its row id, then goes to the leader (through {@link LeaderCalls}, retried
 * across leader changes and timeouts until {@link KeyValueOptions#putTimeout()}); the leader queues it to its
 * {@link GroupCommitter}. Reads never involve the leader. Thread-safe; owns the committer thread, stopped by
 * {@link #close()}.
 */
public final class KeyValueLog implements KeyValueStore, AutoCloseable {

	private static final List<String> RESERVED = List.of("__hedge/", "__caller=");

	private final String self;

	private final Leadership leadership;

	private final LeaderCalls calls;

	private final LogStore store;

	private final KeyValueOptions options;

	private final Duration callTimeout;

	private final Duration storeTimeout;

	private final GroupCommitter committer;

	private volatile OperationObserver operationObserver = OperationObserver.NONE;

	private volatile boolean closed;

	/**
	 * Creates the log.
	 * @param group the group (thread names)
	 * @param self this node's id (the {@code leader} column of rows it writes as leader)
	 * @param leadership the election state
	 * @param calls leader-bound calls
	 * @param store the log store
	 * @param options limits and batching
	 * @param callTimeout deadline of one call to the leader
	 * @param storeTimeout deadline of one store call
	 * @param observer told of every batch this node commits as leader
	 */
	public KeyValueLog(String group, String self, Leadership leadership, LeaderCalls calls, LogStore store,
			KeyValueOptions options, Duration callTimeout, Duration storeTimeout, CommitObserver observer) {
		this.self = self;
		this.leadership = leadership;
		this.calls = calls;
		this.store = store;
		this.options = options;
		this.callTimeout = callTimeout;
		this.storeTimeout = storeTimeout;
		this.committer = new GroupCommitter(group, store, leadership, options, storeTimeout, observer);
	}

	/**
	 * Sets the observer told about every completed put (puts refused by validation are not observed: they throw
	 * before anything is sent).
	 * @param observer the observer
	 */
	public void setOperationObserver(OperationObserver observer) {
		this.operationObserver = java.util.Objects.requireNonNull(observer);
	}

	/**
	 * Whether a key is reserved for hedge's own rows.
	 * @param key the key
	 * @return whether users may not read or write it
	 */
	public static boolean isReserved(String key) {
		return RESERVED.stream().anyMatch(key::startsWith);
	}

	private void validate(String key, String value) {
		if (key == null || key.isEmpty()) {
			throw new InvalidKeyValueException("key must not be empty");
		}
		if (isReserved(key)) {
			throw new InvalidKeyValueException("key '" + key + "' is reserved (prefixes " + RESERVED + ")");
		}
		if (key.getBytes(StandardCharsets.UTF_8).length > this.options.maxKeyBytes()) {
			throw new InvalidKeyValueException("key longer than " + this.options.maxKeyBytes() + " bytes");
		}
		if (value == null) {
			throw new InvalidKeyValueException("value must not be null");
		}
		if (value.getBytes(StandardCharsets.UTF_8).length > this.options.maxValueBytes()) {
			throw new InvalidKeyValueException("value of '" + key + "' longer than " + this.options.maxValueBytes()
					+ " bytes (hedge.kv.max-value-size)");
		}
	}

	@Override
	public Instant put(String key, String value, PutOptions options) {
		requireRunning();
		validate(key, value);
		// a no-append put writes the key's single slot; its own id lets the slot tell a retry from a new put
		String id = UUID.randomUUID().toString();
		Duration deadline = (options.timeout() != null) ? options.timeout() : this.options.putTimeout();
		if (options.direct()) {
			LogRecord record = options.noAppend() ? new LogRecord(key, LogRecord.NO_APPEND_ID, value, this.self, id)
					: new LogRecord(key, id, value, this.self);
			return OperationOutcomes.observe(this.operationObserver, OperationObserver.Operation.KV_PUT,
					() -> this.store.append(null, List.of(record), deadline).get(0));
		}
		return OperationOutcomes.observe(this.operationObserver, OperationObserver.Operation.KV_PUT,
				() -> putOnLeader(key, value, id, options.noAppend(), deadline));
	}

	/**
	 * Writes with a caller-chosen row id: repeating a put with the same id (for example after a crash of the caller)
	 * never writes a second row.
	 * @param key the key
	 * @param value the value
	 * @param id the row id (at most 128 characters)
	 * @param deadline how long the put may take
	 * @return the commit timestamp (the original one if the id already existed)
	 */
	public Instant put(String key, String value, String id, Duration deadline) {
		requireRunning();
		validate(key, value);
		if (id == null || id.isEmpty() || id.length() > 128) {
			throw new InvalidKeyValueException("row id must be 1..128 characters");
		}
		return OperationOutcomes.observe(this.operationObserver, OperationObserver.Operation.KV_PUT,
				() -> putOnLeader(key, value, id, false, deadline));
	}

	private Instant putOnLeader(String key, String value, String id, boolean noAppend, Duration deadline) {
		try {
			return this.calls.withRetry(new LeaderCalls.Call<>() {
				@Override
				public Instant local(Duration timeout) {
					return commitLocally(key, value, id, noAppend, timeout);
				}

				@Override
				public Instant remote(Channel channel, Duration timeout) {
					PutReply reply = KeyValueGrpc.newBlockingStub(channel)
						.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
						.put(PutRequest.newBuilder()
							.setKey(key)
							.setValue(value)
							.setId(id)
							.setNoAppend(noAppend)
							.build());
					return Instant.ofEpochSecond(reply.getCommitSeconds(), reply.getCommitNanos());
				}
			}, SendOptions.untilDeadline(deadline), this.callTimeout, true);
		}
		catch (RequestRejectedException ex) {
			if (ex.getKind() == Failure.Kind.INVALID) {
				// the leader (or its database) refused the put itself: the same typed error as a local refusal
				throw new InvalidKeyValueException(ex.getMessage());
			}
			throw ex;
		}
	}

	private Instant commitLocally(String key, String value, String id, boolean noAppend, Duration timeout) {
		CompletableFuture<Instant> result = submit(key, value, id, noAppend, System.nanoTime() + timeout.toNanos());
		try {
			return result.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (ExecutionException ex) {
			throw translate(ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new MemberUnavailableException(this.self, "the leader's commit did not finish in time", true, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new MemberUnavailableException(this.self, "interrupted", true, ex);
		}
	}

	private CompletableFuture<Instant> submit(String key, String value, String id, boolean noAppend, long deadline) {
		if (!this.leadership.isLeader()) {
			return CompletableFuture.failedFuture(new GroupCommitter.NotLeading());
		}
		// a no-append put from a client older than put ids sends the slot id itself: it gets no retry detection
		String putId = LogRecord.NO_APPEND_ID.equals(id) ? null : id;
		LogRecord record = noAppend ? new LogRecord(key, LogRecord.NO_APPEND_ID, value, this.self, putId)
				: new LogRecord(key, id, value, this.self);
		return this.committer.submit(record, deadline);
	}

	private RuntimeException translate(Throwable error) {
		if (error instanceof GroupCommitter.NotLeading || error instanceof FencedException) {
			return new NotLeaderException(this.self, null, this.leadership.epoch());
		}
		if (error instanceof GroupCommitter.Busy || error instanceof GroupCommitter.Expired) {
			return new MemberUnavailableException(this.self, error.getMessage(), false, error);
		}
		if (error instanceof StoreException store) {
			return new MemberUnavailableException(this.self, "store: " + error.getMessage(), store.isTimeout(), error);
		}
		return (error instanceof RuntimeException runtime) ? runtime : new IllegalStateException(error);
	}

	@Override
	public Optional<KeyValue> get(String key) {
		return read(key, LogQuery.latest()).stream().findFirst();
	}

	@Override
	public List<KeyValue> newest(String key, int n) {
		return read(key, LogQuery.newest(n));
	}

	@Override
	public List<KeyValue> history(String key) {
		return read(key, LogQuery.all());
	}

	@Override
	public Optional<KeyValue> oldest(String key) {
		return read(key, LogQuery.oldest()).stream().findFirst();
	}

	private List<KeyValue> read(String key, LogQuery query) {
		if (key == null || key.isEmpty() || isReserved(key)) {
			return List.of();
		}
		return this.store.read(key, query, this.storeTimeout)
			.stream()
			.map((entry) -> new KeyValue(entry.key(), entry.value(), entry.timestamp(), entry.writer()))
			.toList();
	}

	/**
	 * The gRPC service to serve on this node's server.
	 * @return the service
	 */
	public BindableService service() {
		return new Service();
	}

	private void requireRunning() {
		if (this.closed) {
			throw new NotRunningException("put on " + this.self + ": this hedge node is closed");
		}
	}

	@Override
	public void close() {
		this.closed = true;
		this.committer.close();
	}

	private final class Service extends KeyValueGrpc.KeyValueImplBase {

		@Override
		public void put(PutRequest request, StreamObserver<PutReply> responses) {
			String key = request.getKey();
			String id = request.getId();
			try {
				validate(key, request.getValue());
				if (id.isEmpty() || id.length() > 128) {
					throw new InvalidKeyValueException("row id must be 1..128 characters");
				}
			}
			catch (InvalidKeyValueException ex) {
				responses.onError(Failure.of(Failure.Kind.INVALID, ex.getMessage()).toException());
				return;
			}
			long callerEpoch = HedgeHeaders.caller().epoch();
			if (callerEpoch > KeyValueLog.this.leadership.epoch()) {
				responses.onError(Failure.notLeader(null, callerEpoch).toException());
				return;
			}
			Deadline deadline = Context.current().getDeadline();
			long until = System.nanoTime() + ((deadline != null) ? deadline.timeRemaining(TimeUnit.NANOSECONDS)
					: KeyValueLog.this.options.putTimeout().toNanos());
			submit(key, request.getValue(), id, request.getNoAppend(), until).whenComplete((timestamp, error) -> {
				if (error != null) {
					RuntimeException typed = translate(error);
					Failure failure = (typed instanceof InvalidKeyValueException)
							? Failure.of(Failure.Kind.INVALID, typed.getMessage())
							: Failures.of(KeyValueLog.this.self, typed, KeyValueLog.this.leadership.leaderId()
								.filter((l) -> !l.equals(KeyValueLog.this.self))
								.orElse(null), KeyValueLog.this.leadership.epoch());
					responses.onError(failure.toException());
					return;
				}
				responses.onNext(PutReply.newBuilder()
					.setCommitSeconds(timestamp.getEpochSecond())
					.setCommitNanos(timestamp.getNano())
					.setEpoch(KeyValueLog.this.leadership.epoch())
					.build());
				responses.onCompleted();
			});
		}

	}

}
