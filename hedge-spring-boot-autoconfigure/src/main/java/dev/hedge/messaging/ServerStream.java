package dev.hedge.messaging;

import java.time.Duration;
import java.util.concurrent.Executor;

import com.google.protobuf.ByteString;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

import dev.hedge.transport.grpc.Failure;
import dev.hedge.transport.grpc.proto.Payload;

/**
 * Server side of one stream: feeds the session on its own serial executor (never on a gRPC thread, so a session
 * may block in {@link #reply} while waiting for the transport to be ready), requests the next message only after
 * the session took the previous one, and completes the call after {@link StreamSession#onEnd()}.
 */
final class ServerStream implements StreamObserver<Payload>, StreamContext {

	private final ServerCallStreamObserver<Payload> out;

	private final Executor serial;

	private final String sender;

	private final Duration sendTimeout;

	private final FlowGate gate = new FlowGate();

	private StreamSession session;

	private volatile boolean closed;

	ServerStream(ServerCallStreamObserver<Payload> out, Executor serial, String sender, Duration sendTimeout) {
		this.out = out;
		this.serial = serial;
		this.sender = sender;
		this.sendTimeout = sendTimeout;
		out.disableAutoRequest();
		out.setOnReadyHandler(this.gate::signal);
		out.setOnCancelHandler(() -> {
			this.closed = true;
			this.gate.signal();
		});
	}

	void open(StreamHandler handler) {
		this.serial.execute(() -> {
			try {
				this.session = handler.open(this);
				request();
			}
			catch (Exception ex) {
				fail(ex);
			}
		});
	}

	private void request() {
		this.gate.run(() -> {
			if (!this.closed) {
				this.out.request(1);
			}
		});
	}

	@Override
	public void onNext(Payload value) {
		byte[] message = value.getData().toByteArray();
		this.serial.execute(() -> {
			if (this.closed || this.session == null) {
				return;
			}
			try {
				this.session.onMessage(message);
				request();
			}
			catch (Exception ex) {
				fail(ex);
			}
		});
	}

	@Override
	public void onError(Throwable error) {
		this.serial.execute(() -> {
			this.closed = true;
			if (this.session != null) {
				this.session.onCancel();
			}
		});
	}

	@Override
	public void onCompleted() {
		this.serial.execute(() -> {
			if (this.closed || this.session == null) {
				return;
			}
			try {
				this.session.onEnd();
				complete();
			}
			catch (Exception ex) {
				fail(ex);
			}
		});
	}

	@Override
	public String sender() {
		return this.sender;
	}

	@Override
	public void reply(byte[] message) {
		Payload payload = Payload.newBuilder().setData(ByteString.copyFrom(message)).build();
		this.gate.sendWhenReady(this.out::isReady, () -> this.closed, System.nanoTime() + this.sendTimeout.toNanos(),
				() -> this.out.onNext(payload),
				() -> new MessagingException("stream from " + this.sender + " is closed", false),
				() -> new MemberUnavailableException(this.sender, "receiver not ready within " + this.sendTimeout, true,
						null),
				"replying to " + this.sender);
	}

	@Override
	public void complete() {
		this.gate.run(() -> {
			if (!this.closed) {
				this.closed = true;
				this.out.onCompleted();
			}
		});
	}

	@Override
	public void fail(Throwable error) {
		this.gate.run(() -> {
			if (!this.closed) {
				this.closed = true;
				this.out.onError(Failure.of(Failure.Kind.HANDLER_FAILED, String.valueOf(error)).toException());
			}
		});
	}

}
