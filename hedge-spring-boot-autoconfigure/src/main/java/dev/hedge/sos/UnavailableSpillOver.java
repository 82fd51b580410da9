package dev.hedge.sos;

import io.grpc.BindableService;
import io.grpc.stub.StreamObserver;

import dev.hedge.transport.grpc.Failure;
import dev.hedge.transport.grpc.proto.SosDeleteReply;
import dev.hedge.transport.grpc.proto.SosDeleteRequest;
import dev.hedge.transport.grpc.proto.SosKeepAliveReply;
import dev.hedge.transport.grpc.proto.SosKeepAliveRequest;
import dev.hedge.transport.grpc.proto.SosReadReply;
import dev.hedge.transport.grpc.proto.SosReadRequest;
import dev.hedge.transport.grpc.proto.SosWriteReply;
import dev.hedge.transport.grpc.proto.SosWriteRequest;
import dev.hedge.transport.grpc.proto.SpillOverGrpc;

/**
 * The SoS of a member without Apache Arrow: {@link #store(String)} throws {@link SosUnavailableException}, and the
 * service answers every call with UNIMPLEMENTED, so writers on other members skip this one. Holds nothing, starts no
 * thread. Thread-safe.
 */
final class UnavailableSpillOver implements SpillOver {

	private final SpillOverOptions options;

	private final int maxRecordBytes;

	private final String reason;

	UnavailableSpillOver(SpillOverOptions options, int maxRecordBytes, String reason) {
		this.options = options;
		this.maxRecordBytes = maxRecordBytes;
		this.reason = reason;
	}

	@Override
	public SpillOverStore store(String name) {
		throw new SosUnavailableException(this.reason);
	}

	@Override
	public SpillOverOptions options() {
		return this.options;
	}

	@Override
	public boolean isAvailable() {
		return false;
	}

	@Override
	public int maxRecordBytes() {
		return this.maxRecordBytes;
	}

	@Override
	public SpillOverStats stats() {
		return new SpillOverStats(this.options.memoryLimitBytes(), 0, 0, this.options.diskLimitBytes(), 0, 0, 0, 0,
				TierStats.EMPTY, TierStats.EMPTY);
	}

	@Override
	public BindableService service() {
		return new SpillOverGrpc.SpillOverImplBase() {
			private RuntimeException refusal() {
				return Failure.of(Failure.Kind.NO_HANDLER,
						"the spill-over store is unavailable on this member: " + UnavailableSpillOver.this.reason)
					.toException();
			}

			@Override
			public StreamObserver<SosWriteRequest> write(StreamObserver<SosWriteReply> responses) {
				responses.onError(refusal());
				return new StreamObserver<>() {
					@Override
					public void onNext(SosWriteRequest value) {
					}

					@Override
					public void onError(Throwable t) {
					}

					@Override
					public void onCompleted() {
					}
				};
			}

			@Override
			public void read(SosReadRequest request, StreamObserver<SosReadReply> responses) {
				responses.onError(refusal());
			}

			@Override
			public void keepAlive(SosKeepAliveRequest request, StreamObserver<SosKeepAliveReply> responses) {
				responses.onError(refusal());
			}

			@Override
			public void delete(SosDeleteRequest request, StreamObserver<SosDeleteReply> responses) {
				responses.onError(refusal());
			}
		};
	}

	@Override
	public void close() {
	}

	@Override
	public void halt() {
	}

}
