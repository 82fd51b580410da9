package dev.hedge.chain;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;

import dev.hedge.transport.grpc.Failure;
import dev.hedge.transport.grpc.PeerChannels;
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
 * The chain's outgoing calls, over the node's {@link PeerChannels} (so member authentication applies): every call is
 * asynchronous, carries a deadline, and completes its future on the chain's I/O threads with a domain value, a
 * {@link ChainRefusedException} (the receiver refused) or a {@link ChainHopException} (transport failure). Thread-safe.
 */
final class ChainClient {

	private final PeerChannels channels;

	private final Executor executor;

	/**
	 * @param channels the node's peer channels
	 * @param executor where replies are handled; once it refuses work (closed), replies run on gRPC's thread
	 */
	ChainClient(PeerChannels channels, Executor executor) {
		this.channels = channels;
		this.executor = (task) -> {
			try {
				executor.execute(task);
			}
			catch (RejectedExecutionException ex) {
				task.run();
			}
		};
	}

	private ChainGrpc.ChainStub stub(String target, Duration timeout) {
		return ChainGrpc.newStub(this.channels.channel(target))
			.withExecutor(this.executor)
			.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS);
	}

	CompletableFuture<Long> write(String target, Duration timeout, long config, String key, byte[] value,
			String writeId, OptionalLong expected) {
		ChainWriteRequest.Builder request = ChainWriteRequest.newBuilder()
			.setConfigVersion(config)
			.setKey(key)
			.setValue(ByteString.copyFrom(value))
			.setWriteId(writeId);
		expected.ifPresent((version) -> request.setConditional(true).setExpectedVersion(version));
		return call(target, (ChainWriteReply reply) -> refusalOr(reply.hasRefusal(), reply.getRefusal(),
				reply.getVersion()), (observer) -> stub(target, timeout).write(request.build(), observer));
	}

	CompletableFuture<Void> forward(String target, Duration timeout, long config, Item item) {
		ChainForwardRequest request = ChainForwardRequest.newBuilder()
			.setConfigVersion(config)
			.setKey(item.key())
			.setVersion(item.version())
			.setValue(ByteString.copyFrom(item.value()))
			.setWriteId(item.writeId())
			.build();
		return call(target, (ChainForwardReply reply) -> refusalOr(reply.hasRefusal(), reply.getRefusal(), (Void) null),
				(observer) -> stub(target, timeout).forward(request, observer));
	}

	CompletableFuture<ReadAnswer> read(String target, Duration timeout, long config, String key, boolean local) {
		ChainReadRequest request = ChainReadRequest.newBuilder()
			.setConfigVersion(config)
			.setKey(key)
			.setLocal(local)
			.build();
		return call(target, (ChainReadReply reply) -> refusalOr(reply.hasRefusal(), reply.getRefusal(),
				new ReadAnswer(reply.getFound() ? new ChainValue(key, reply.getVersion(), reply.getValue().toByteArray())
						: null, reply.getDirty())),
				(observer) -> stub(target, timeout).read(request, observer));
	}

	CompletableFuture<Long> version(String target, Duration timeout, long config, String key) {
		ChainVersionRequest request = ChainVersionRequest.newBuilder().setConfigVersion(config).setKey(key).build();
		return call(target, (ChainVersionReply reply) -> refusalOr(reply.hasRefusal(), reply.getRefusal(),
				reply.getVersion()), (observer) -> stub(target, timeout).version(request, observer));
	}

	CompletableFuture<Optional<KeyEntry>> fetch(String target, Duration timeout, long config, String key) {
		ChainFetchRequest request = ChainFetchRequest.newBuilder().setConfigVersion(config).setKey(key).build();
		return call(target, (ChainFetchReply reply) -> refusalOr(reply.hasRefusal(), reply.getRefusal(),
				reply.hasEntry() ? Optional.of(ChainWire.entry(reply.getEntry())) : Optional.empty()),
				(observer) -> stub(target, timeout).fetch(request, observer));
	}

	CompletableFuture<ScanPage> scan(String target, Duration timeout, long config, String afterKey, int limit) {
		ChainScanRequest.Builder request = ChainScanRequest.newBuilder().setConfigVersion(config).setLimit(limit);
		if (afterKey == null) {
			request.setFirst(true);
		}
		else {
			request.setAfterKey(afterKey);
		}
		return call(target, (ChainScanReply reply) -> {
			List<KeyEntry> entries = new ArrayList<>();
			reply.getEntriesList().forEach((entry) -> entries.add(ChainWire.entry(entry)));
			return refusalOr(reply.hasRefusal(), reply.getRefusal(),
					new ScanPage(entries, reply.getLast() ? null : reply.getNextAfterKey()));
		}, (observer) -> stub(target, timeout).scan(request.build(), observer));
	}

	CompletableFuture<Heartbeat.Answer> heartbeat(String target, Duration timeout, Heartbeat heartbeat) {
		ChainHeartbeatRequest request = ChainHeartbeatRequest.newBuilder()
			.setMember(ChainWire.member(heartbeat.member()))
			.setConfigVersion(heartbeat.configVersion())
			.setCaughtUp(heartbeat.caughtUp())
			.setLeaving(heartbeat.leaving())
			.build();
		return call(target, (ChainHeartbeatReply reply) -> new Heartbeat.Answer(ChainWire.config(reply.getConfig()),
				reply.getLeaseMillis()), (observer) -> stub(target, timeout).heartbeat(request, observer));
	}

	CompletableFuture<Void> push(String target, Duration timeout, ChainConfig config) {
		ChainPushRequest request = ChainPushRequest.newBuilder().setConfig(ChainWire.config(config)).build();
		return call(target, (ChainPushReply reply) -> (Void) null, (observer) -> stub(target, timeout).push(request, observer));
	}

	private static <T> T refusalOr(boolean refused, ChainRefusal refusal, T value) {
		if (refused) {
			throw ChainWire.refusal(refusal);
		}
		return value;
	}

	private <R, T> CompletableFuture<T> call(String target, Function<R, T> convert,
			java.util.function.Consumer<StreamObserver<R>> send) {
		CompletableFuture<T> result = new CompletableFuture<>();
		StreamObserver<R> observer = new StreamObserver<>() {
			@Override
			public void onNext(R reply) {
				try {
					result.complete(convert.apply(reply));
				}
				catch (RuntimeException ex) {
					result.completeExceptionally(ex);
				}
			}

			@Override
			public void onError(Throwable error) {
				result.completeExceptionally(new ChainHopException(target, Failure.from(error)));
			}

			@Override
			public void onCompleted() {
				result.completeExceptionally(new ChainHopException(target,
						Failure.of(Failure.Kind.OTHER, "no reply")));
			}
		};
		try {
			send.accept(observer);
		}
		catch (RuntimeException ex) {
			result.completeExceptionally(new ChainHopException(target, Failure.of(Failure.Kind.UNAVAILABLE,
					String.valueOf(ex.getMessage()))));
		}
		return result;
	}

	/**
	 * What a serving member answered to a read.
	 * @param value the value, or null if the key has none
	 * @param dirty whether the key was dirty there
	 */
	record ReadAnswer(ChainValue value, boolean dirty) {

	}

}
