package dev.hedge.sos;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.grpc.Channel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;

import dev.hedge.transport.grpc.Failure;
import dev.hedge.transport.grpc.proto.SosReadReply;
import dev.hedge.transport.grpc.proto.SosReadRequest;
import dev.hedge.transport.grpc.proto.SosSegment;
import dev.hedge.transport.grpc.proto.SpillOverGrpc;

/**
 * A reader's stream of one peer run. At most {@link #BUFFERED} records are requested ahead; one more is requested
 * each time the reader takes one. Used by the reader's thread; the gRPC callbacks only enqueue.
 */
final class PeerFetch implements ClientResponseObserver<SosReadRequest, SosReadReply> {

	static final int BUFFERED = 32;

	static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

	private static final Object END = new Object();

	private final String store;

	private final SegmentIndex.RunView run;

	private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();

	private volatile ClientCallStreamObserver<SosReadRequest> requests;

	private long received;

	private boolean ended;

	private PeerFetch(String store, SegmentIndex.RunView run) {
		this.store = store;
		this.run = run;
	}

	static PeerFetch open(StoreState state, SegmentIndex.RunView run, Channel channel) {
		PeerFetch fetch = new PeerFetch(state.name, run);
		SosReadRequest request = SosReadRequest.newBuilder()
			.setSegment(SosSegment.newBuilder()
				.setStore(state.name)
				.setInstance(state.instance)
				.setSegment(run.location().segment()))
			.setFrom(run.start())
			.setCount(run.count())
			.build();
		SpillOverGrpc.newStub(channel).read(request, fetch);
		return fetch;
	}

	@Override
	public void beforeStart(ClientCallStreamObserver<SosReadRequest> requestStream) {
		this.requests = requestStream;
		requestStream.disableAutoRequestWithInitial(BUFFERED);
	}

	@Override
	public void onNext(SosReadReply value) {
		this.queue.add(value.getRecord().toByteArray());
	}

	@Override
	public void onError(Throwable error) {
		this.queue.add(error);
	}

	@Override
	public void onCompleted() {
		this.queue.add(END);
	}

	/**
	 * The next record of the run.
	 * @return the record
	 * @throws SosReadException if the peer fails, ends early, or is silent for 30 s
	 */
	byte[] next() {
		if (this.ended) {
			throw missing("the stream already ended", null);
		}
		Object next;
		try {
			next = this.queue.poll(TIMEOUT_NANOS, TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			close();
			throw missing("interrupted", ex);
		}
		if (next == null) {
			close();
			throw missing("no record within " + TimeUnit.NANOSECONDS.toSeconds(TIMEOUT_NANOS) + " s", null);
		}
		if (next == END) {
			this.ended = true;
			throw missing("the member ended the stream after " + this.received + " of " + this.run.count() + " records",
					null);
		}
		if (next instanceof Throwable error) {
			this.ended = true;
			Failure failure = Failure.from(error);
			String reason = (io.grpc.Status.fromThrowable(error).getCode() == io.grpc.Status.Code.NOT_FOUND)
					? "the member no longer holds them (" + failure.message() + ")"
					: failure.kind() + ": " + failure.message();
			throw missing(reason, error);
		}
		this.received++;
		if (this.received < this.run.count()) {
			this.requests.request(1);
		}
		return (byte[]) next;
	}

	private SosReadException missing(String reason, Throwable cause) {
		return new SosReadException(this.store, this.run.location().member(), this.run.first() + this.received,
				this.run.first() + this.run.count(), reason, cause);
	}

	/** Cancels the stream if it still runs. Idempotent. */
	void close() {
		if (!this.ended) {
			this.ended = true;
			this.requests.cancel("reader closed", null);
		}
	}

}
