package dev.hedge.sos;

import java.util.List;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

import dev.hedge.transport.grpc.Failure;
import dev.hedge.transport.grpc.HedgeHeaders;
import dev.hedge.transport.grpc.proto.SosDeleteReply;
import dev.hedge.transport.grpc.proto.SosDeleteRequest;
import dev.hedge.transport.grpc.proto.SosKeepAliveReply;
import dev.hedge.transport.grpc.proto.SosKeepAliveRequest;
import dev.hedge.transport.grpc.proto.SosReadReply;
import dev.hedge.transport.grpc.proto.SosReadRequest;
import dev.hedge.transport.grpc.proto.SosSegment;
import dev.hedge.transport.grpc.proto.SosWriteReply;
import dev.hedge.transport.grpc.proto.SosWriteRequest;
import dev.hedge.transport.grpc.proto.SpillOverGrpc;

/**
 * The peer side of {@code hedge.v1.SpillOver}: holds what other members spill here, within this member's own limits.
 * Bad input (no or a second {@code open}, a record before {@code open}, names too long, ranges out of bounds) ends
 * the call with INVALID_ARGUMENT or OUT_OF_RANGE and never affects other calls; a malformed or oversize message is
 * refused before it gets here (by {@code LateBoundService} and the server's message limit). A Write stream is
 * flow-controlled: gRPC delivers at most {@value #PREFETCH} messages ahead of the one being stored (one more is
 * requested for each one stored), so a stream buffers at most that many messages here. Calls run on gRPC's
 * threads; thread-safe.
 */
final class SpillOverService extends SpillOverGrpc.SpillOverImplBase {

	static final int MAX_STORE_NAME = 200;

	static final int MAX_INSTANCE = 64;

	private static final int ACK_RECORDS = 64;

	private static final long ACK_BYTES = 1 << 20;

	/** Messages of a Write stream gRPC may deliver ahead of the one being stored. */
	private static final int PREFETCH = 4;

	private final HeldSegments held;

	private final long leaseMillis;

	SpillOverService(HeldSegments held, long leaseMillis) {
		this.held = held;
		this.leaseMillis = leaseMillis;
	}

	static String problem(String store, String instance) {
		if (store.isEmpty() || store.length() > MAX_STORE_NAME) {
			return "store name must have 1.." + MAX_STORE_NAME + " characters";
		}
		if (instance.isEmpty() || instance.length() > MAX_INSTANCE) {
			return "instance must have 1.." + MAX_INSTANCE + " characters";
		}
		return null;
	}

	private static String origin() {
		return HedgeHeaders.caller().sender();
	}

	@Override
	public StreamObserver<SosWriteRequest> write(StreamObserver<SosWriteReply> responses) {
		return new WriteSession((ServerCallStreamObserver<SosWriteReply>) responses, origin());
	}

	@Override
	public void read(SosReadRequest request, StreamObserver<SosReadReply> responses) {
		ServerCallStreamObserver<SosReadReply> out = (ServerCallStreamObserver<SosReadReply>) responses;
		SosSegment ref = request.getSegment();
		String problem = problem(ref.getStore(), ref.getInstance());
		if (problem == null && (request.getFrom() < 0 || request.getCount() < 0)) {
			problem = "from and count must not be negative";
		}
		if (problem != null) {
			out.onError(Failure.of(Failure.Kind.INVALID, problem).toException());
			return;
		}
		if (this.held.isClosed()) {
			out.onError(Failure.of(Failure.Kind.NOT_READY, "spill-over store closed").toException());
			return;
		}
		HeldSegments.Group group = this.held.enter(origin(), ref.getStore(), ref.getInstance(), false);
		HeldSegment segment = (group != null) ? group.segment(ref.getSegment()) : null;
		if (segment == null) {
			if (group != null) {
				group.leave();
			}
			out.onError(Status.NOT_FOUND
				.withDescription("no segment " + ref.getSegment() + " of store '" + ref.getStore() + "' here")
				.asRuntimeException());
			return;
		}
		long records = segment.records();
		if (request.getFrom() > records || request.getCount() > records - request.getFrom()) {
			group.leave();
			out.onError(Status.OUT_OF_RANGE
				.withDescription("segment " + ref.getSegment() + " holds " + records + " records, asked for "
						+ request.getCount() + " from " + request.getFrom())
				.asRuntimeException());
			return;
		}
		ReadSession session = new ReadSession(out, group, segment, request.getFrom(),
				request.getFrom() + request.getCount());
		out.setOnReadyHandler(session::drain);
		out.setOnCancelHandler(session::finish);
		session.drain();
	}

	@Override
	public void keepAlive(SosKeepAliveRequest request, StreamObserver<SosKeepAliveReply> responses) {
		String problem = problem(request.getStore(), request.getInstance());
		if (problem != null) {
			responses.onError(Failure.of(Failure.Kind.INVALID, problem).toException());
			return;
		}
		HeldSegments.Group group = this.held.enter(origin(), request.getStore(), request.getInstance(), false);
		long segments = 0;
		if (group != null) {
			segments = group.segments.size();
			group.leave();
		}
		responses.onNext(SosKeepAliveReply.newBuilder().setSegments(segments).setLeaseMillis(this.leaseMillis).build());
		responses.onCompleted();
	}

	@Override
	public void delete(SosDeleteRequest request, StreamObserver<SosDeleteReply> responses) {
		String problem = problem(request.getStore(), request.getInstance());
		if (problem != null) {
			responses.onError(Failure.of(Failure.Kind.INVALID, problem).toException());
			return;
		}
		long[] freed = this.held.delete(origin(), request.getStore(), request.getInstance());
		responses.onNext(
				SosDeleteReply.newBuilder().setSegments(freed[0]).setRecords(freed[1]).setBytes(freed[2]).build());
		responses.onCompleted();
	}

	/** One Write stream. The call's callbacks are serialised by gRPC; the methods are synchronized anyway. */
	private final class WriteSession implements StreamObserver<SosWriteRequest> {

		private final ServerCallStreamObserver<SosWriteReply> out;

		private final String origin;

		private HeldSegments.Group group;

		private HeldSegment segment;

		private long accepted;

		private long unacknowledged;

		private long unacknowledgedBytes;

		private boolean ended;

		private boolean finished;

		WriteSession(ServerCallStreamObserver<SosWriteReply> out, String origin) {
			this.out = out;
			this.origin = origin;
			out.disableAutoRequest();
			out.setOnCancelHandler(this::finish);
			out.setOnCloseHandler(this::finish);
			out.request(PREFETCH);
		}

		@Override
		public synchronized void onNext(SosWriteRequest request) {
			if (this.ended) {
				return;
			}
			if (this.segment == null) {
				open(request);
				return;
			}
			// one more message for every one taken: at most PREFETCH are delivered ahead
			if (request.getKindCase() != SosWriteRequest.KindCase.RECORD) {
				refuse(Failure.Kind.INVALID, "expected a record, got " + request.getKindCase());
				return;
			}
			ByteString data = request.getRecord();
			String full = this.segment.append(data.toByteArray());
			this.group.touch();
			if (full != null) {
				reply(true, full);
				end();
				return;
			}
			this.accepted++;
			this.unacknowledged++;
			this.unacknowledgedBytes += data.size();
			if (this.unacknowledged >= ACK_RECORDS || this.unacknowledgedBytes >= ACK_BYTES) {
				reply(false, "");
			}
			this.out.request(1);
		}

		private void open(SosWriteRequest request) {
			if (request.getKindCase() != SosWriteRequest.KindCase.OPEN) {
				refuse(Failure.Kind.INVALID, "the first message must open a segment");
				return;
			}
			SosSegment ref = request.getOpen();
			String problem = problem(ref.getStore(), ref.getInstance());
			if (problem != null) {
				refuse(Failure.Kind.INVALID, problem);
				return;
			}
			this.group = SpillOverService.this.held.enter(this.origin, ref.getStore(), ref.getInstance(), true);
			if (this.group == null) {
				refuse(Failure.Kind.NOT_READY, "spill-over store closed");
				return;
			}
			try {
				this.segment = this.group.open(ref.getSegment());
			}
			catch (IllegalArgumentException ex) {
				refuse(Failure.Kind.INVALID, ex.getMessage());
				return;
			}
			if (this.segment == null) {
				reply(true, "this member holds " + HeldSegments.MAX_SEGMENTS + " segments already");
				end();
				return;
			}
			this.out.request(1);
		}

		@Override
		public synchronized void onError(Throwable error) {
			finish();
		}

		@Override
		public synchronized void onCompleted() {
			if (this.ended) {
				return;
			}
			if (this.segment == null) {
				refuse(Failure.Kind.INVALID, "the stream ended before a segment was opened");
				return;
			}
			reply(false, "");
			end();
		}

		private void reply(boolean full, String reason) {
			this.out.onNext(SosWriteReply.newBuilder()
				.setAccepted(this.accepted)
				.setFull(full)
				.setReason(reason)
				.setLeaseMillis(SpillOverService.this.leaseMillis)
				.build());
			this.unacknowledged = 0;
			this.unacknowledgedBytes = 0;
		}

		private void refuse(Failure.Kind kind, String message) {
			this.ended = true;
			this.out.onError(Failure.of(kind, message).toException());
			finish();
		}

		private void end() {
			this.ended = true;
			this.out.onCompleted();
			finish();
		}

		synchronized void finish() {
			if (this.finished) {
				return;
			}
			this.finished = true;
			this.ended = true;
			if (this.group != null) {
				if (this.segment != null) {
					this.group.dropIfEmpty(this.segment);
				}
				this.group.leave();
			}
		}

	}

	/** One Read stream, sent as fast as the transport is ready. */
	private static final class ReadSession {

		private final ServerCallStreamObserver<SosReadReply> out;

		private final HeldSegments.Group group;

		private final HeldSegment segment;

		private final List<SegmentIndex.RunView> runs;

		private final long end;

		private long next;

		private int run;

		private DiskTier.View view;

		private boolean finished;

		ReadSession(ServerCallStreamObserver<SosReadReply> out, HeldSegments.Group group, HeldSegment segment,
				long from, long end) {
			this.out = out;
			this.group = group;
			this.segment = segment;
			this.runs = segment.snapshot();
			this.next = from;
			this.end = end;
		}

		synchronized void drain() {
			while (!this.finished) {
				if (this.next == this.end) {
					this.out.onCompleted();
					finish();
					return;
				}
				if (!this.out.isReady()) {
					return;
				}
				byte[] record;
				try {
					record = read(this.next);
				}
				catch (SosClosedException ex) {
					this.out.onError(Status.NOT_FOUND.withDescription("the segment was deleted").asRuntimeException());
					finish();
					return;
				}
				this.out.onNext(SosReadReply.newBuilder().setRecord(ByteString.copyFrom(record)).build());
				this.next++;
			}
		}

		private byte[] read(long position) {
			SegmentIndex.RunView current = this.runs.get(this.run);
			while (position >= current.first() + current.count()) {
				current = this.runs.get(++this.run);
			}
			long index = current.start() + (position - current.first());
			if (current.location().kind() == Location.Kind.MEMORY) {
				return this.segment.memory().get(index);
			}
			if (this.view == null) {
				long count = 0;
				for (SegmentIndex.RunView each : this.runs) {
					if (each.location().kind() == Location.Kind.DISK) {
						count = Math.max(count, each.start() + each.count());
					}
				}
				this.view = this.segment.disk().view(count);
			}
			return this.view.read(index);
		}

		synchronized void finish() {
			if (this.finished) {
				return;
			}
			this.finished = true;
			if (this.view != null) {
				this.view.close();
			}
			this.group.leave();
		}

	}

}
