package dev.hedge.sos;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import com.google.protobuf.ByteString;
import io.grpc.Channel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;

import dev.hedge.transport.grpc.Failure;
import dev.hedge.transport.grpc.proto.SosSegment;
import dev.hedge.transport.grpc.proto.SosWriteReply;
import dev.hedge.transport.grpc.proto.SosWriteRequest;
import dev.hedge.transport.grpc.proto.SpillOverGrpc;

/**
 * The writer's stream to one peer (one peer segment). Records are sent as soon as the transport is ready and kept
 * until the peer acknowledges them; at most {@link #WINDOW} bytes wait for acknowledgement. Acknowledgements extend
 * the store's run for this segment under this stream's lock, so a reader never sees a later run grow before this one
 * is final. When the stream stops (peer full, failed, or silent for {@link #TIMEOUT_NANOS}), {@link #detach()} hands
 * back exactly the records the peer did not acknowledge, in order, for the next member.
 *
 * <p>Used by the writer's thread; the gRPC callbacks run on gRPC's threads. Everything is guarded by one lock.
 */
final class PeerSpill implements ClientResponseObserver<SosWriteRequest, SosWriteReply> {

	static final long WINDOW = 8 << 20;

	static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

	/** Bytes the transport may queue before {@code isReady()} turns false (gRPC's 32 KiB is below one record). */
	static final int ON_READY_THRESHOLD = 1 << 20;

	private final StoreState store;

	private final String peer;

	private final SegmentIndex.Run run;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition changed = this.lock.newCondition();

	private final ArrayDeque<ByteString> pending = new ArrayDeque<>();

	private ClientCallStreamObserver<SosWriteRequest> requests;

	private long pendingBytes;

	private long sent;

	private long accepted;

	private long acceptedBytes;

	private boolean full;

	private String fullReason;

	private Throwable failure;

	private boolean completed;

	private boolean timedOut;

	private boolean detached;

	private boolean halfClosed;

	private PeerSpill(StoreState store, String peer, SegmentIndex.Run run) {
		this.store = store;
		this.peer = peer;
		this.run = run;
	}

	static PeerSpill open(StoreState store, String peer, Channel channel) {
		SegmentIndex.Run run = store.startPeerRun(peer);
		PeerSpill spill = new PeerSpill(store, peer, run);
		SpillOverGrpc.newStub(channel).withOnReadyThreshold(ON_READY_THRESHOLD).write(spill);
		SosSegment segment = SosSegment.newBuilder()
			.setStore(store.name)
			.setInstance(store.instance)
			.setSegment(run.location.segment())
			.build();
		spill.lock.lock();
		try {
			if (spill.failure == null) {
				spill.requests.onNext(SosWriteRequest.newBuilder().setOpen(segment).build());
			}
		}
		finally {
			spill.lock.unlock();
		}
		return spill;
	}

	String peer() {
		return this.peer;
	}

	@Override
	public void beforeStart(ClientCallStreamObserver<SosWriteRequest> requestStream) {
		this.requests = requestStream;
		requestStream.setOnReadyHandler(this::signal);
	}

	private void signal() {
		this.lock.lock();
		try {
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public void onNext(SosWriteReply reply) {
		this.lock.lock();
		try {
			if (this.detached) {
				return;
			}
			long upTo = Math.min(Math.max(reply.getAccepted(), this.accepted), this.sent);
			long count = 0;
			long bytes = 0;
			while (this.accepted + count < upTo) {
				ByteString record = this.pending.pollFirst();
				bytes += record.size();
				count++;
			}
			this.pendingBytes -= bytes;
			this.accepted += count;
			this.acceptedBytes += bytes;
			if (reply.getFull()) {
				this.full = true;
				this.fullReason = reply.getReason();
			}
			if (count > 0 || reply.getLeaseMillis() > 0) {
				this.store.acknowledge(this.run, count, bytes, reply.getLeaseMillis());
			}
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public void onError(Throwable error) {
		this.lock.lock();
		try {
			this.failure = error;
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public void onCompleted() {
		this.lock.lock();
		try {
			this.completed = true;
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	private boolean stopped() {
		return this.full || this.failure != null || this.completed || this.timedOut || this.detached;
	}

	/**
	 * Sends one record, waiting for the transport and the acknowledgement window.
	 * @return false if the stream stopped (the record was not sent)
	 */
	boolean send(ByteString record) {
		this.lock.lock();
		try {
			long deadline = System.nanoTime() + TIMEOUT_NANOS;
			while (!stopped() && ((!this.pending.isEmpty() && this.pendingBytes + record.size() > WINDOW)
					|| !this.requests.isReady())) {
				if (!await(deadline)) {
					return false;
				}
			}
			if (stopped()) {
				return false;
			}
			this.requests.onNext(SosWriteRequest.newBuilder().setRecord(record).build());
			this.pending.addLast(record);
			this.pendingBytes += record.size();
			this.sent++;
			return true;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Ends the input and waits until the peer acknowledged everything and ended the call.
	 * @return true if every record sent was acknowledged; false if the stream stopped first (then {@link #detach()})
	 */
	boolean finish() {
		this.lock.lock();
		try {
			if (!stopped() && !this.halfClosed) {
				this.halfClosed = true;
				this.requests.onCompleted();
			}
			long deadline = System.nanoTime() + TIMEOUT_NANOS;
			while (!this.completed && this.failure == null && !this.full && !this.timedOut && !this.detached) {
				if (!await(deadline)) {
					return false;
				}
			}
			return this.completed && !this.full && this.failure == null && this.accepted == this.sent;
		}
		finally {
			this.lock.unlock();
		}
	}

	private boolean await(long deadline) {
		long left = deadline - System.nanoTime();
		if (left <= 0) {
			this.timedOut = true;
			return false;
		}
		try {
			this.changed.awaitNanos(left);
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.timedOut = true;
			throw new SosException("interrupted while writing to member " + this.peer, ex);
		}
	}

	/**
	 * Stops using the stream: cancels it if it still runs and hands back the records not acknowledged, in order.
	 * Later acknowledgements are ignored.
	 * @return the records for the next member
	 */
	List<ByteString> detach() {
		this.lock.lock();
		try {
			if (!this.detached) {
				this.detached = true;
				if (this.failure == null && !this.completed) {
					this.requests.cancel("the writer left this member", null);
				}
			}
			List<ByteString> rest = new ArrayList<>(this.pending);
			this.pending.clear();
			this.pendingBytes = 0;
			return rest;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Cancels the stream (the store was deleted or the member closes). */
	void abort() {
		detach();
		signal();
	}

	long accepted() {
		this.lock.lock();
		try {
			return this.accepted;
		}
		finally {
			this.lock.unlock();
		}
	}

	long acceptedBytes() {
		this.lock.lock();
		try {
			return this.acceptedBytes;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** What happened on this stream, for the capacity error and the log. */
	String describe() {
		this.lock.lock();
		try {
			String outcome;
			if (this.full) {
				outcome = "full (" + (this.fullReason.isEmpty() ? "no reason given" : this.fullReason) + ")";
			}
			else if (this.failure != null) {
				Failure failed = Failure.from(this.failure);
				outcome = "failed (" + failed.kind() + ": " + failed.message() + ")";
			}
			else if (this.timedOut) {
				outcome = "no acknowledgement within " + TimeUnit.NANOSECONDS.toSeconds(TIMEOUT_NANOS) + " s";
			}
			else if (this.completed && this.accepted < this.sent) {
				outcome = "ended the stream early";
			}
			else {
				outcome = "left";
			}
			return "member " + this.peer + " " + outcome + " after accepting " + this.accepted + " records";
		}
		finally {
			this.lock.unlock();
		}
	}

}
