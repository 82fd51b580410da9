package dev.hedge.messaging;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;

import dev.hedge.transport.grpc.proto.Payload;

/**
 * Client side of one bidirectional stream with manual flow control in both directions: {@link #send} waits for the
 * transport to be ready, and one more reply is requested only when the previous one has been taken.
 */
final class ClientStream implements MessageStream, ClientResponseObserver<Payload, Payload> {

	private static final Object END = new Object();

	private final String member;

	private final long deadline;

	private final FlowGate gate = new FlowGate();

	private final BlockingQueue<Object> replies = new LinkedBlockingQueue<>();

	private ClientCallStreamObserver<Payload> requests;

	private volatile Throwable failure;

	private boolean ended;

	private volatile boolean inputDone;

	ClientStream(String member, long deadlineNanos) {
		this.member = member;
		this.deadline = deadlineNanos;
	}

	@Override
	public String member() {
		return this.member;
	}

	@Override
	public void beforeStart(ClientCallStreamObserver<Payload> requestStream) {
		this.requests = requestStream;
		requestStream.disableAutoRequestWithInitial(1);
		requestStream.setOnReadyHandler(this.gate::signal);
	}

	@Override
	public void onNext(Payload value) {
		this.replies.add(value.getData().toByteArray());
	}

	@Override
	public void onError(Throwable error) {
		this.failure = error;
		this.replies.add(error);
		this.gate.signal();
	}

	@Override
	public void onCompleted() {
		this.replies.add(END);
	}

	@Override
	public void send(byte[] message) {
		if (this.inputDone) {
			throw new IllegalStateException("input already completed");
		}
		Payload payload = Payload.newBuilder().setData(ByteString.copyFrom(message)).build();
		this.gate.sendWhenReady(this.requests::isReady, () -> this.failure != null, this.deadline,
				() -> this.requests.onNext(payload), () -> Errors.from(this.member, this.failure),
				() -> new MemberUnavailableException(this.member, "stream deadline passed while waiting to send", true,
						null),
				"sending to " + this.member);
	}

	@Override
	public void complete() {
		this.gate.run(() -> {
			if (!this.inputDone && this.failure == null) {
				this.inputDone = true;
				this.requests.onCompleted();
			}
		});
	}

	@Override
	public byte[] nextReply() {
		if (this.ended) {
			return null;
		}
		Object next;
		try {
			next = this.replies.poll(Math.max(0, this.deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			cancel();
			throw new MessagingException("interrupted while reading from " + this.member, ex, false);
		}
		if (next == null) {
			cancel();
			throw new MemberUnavailableException(this.member, "stream deadline passed while waiting for a reply", true,
					null);
		}
		if (next == END) {
			this.ended = true;
			return null;
		}
		if (next instanceof Throwable error) {
			this.ended = true;
			throw Errors.from(this.member, error);
		}
		this.gate.run(() -> this.requests.request(1));
		return (byte[]) next;
	}

	@Override
	public void cancel() {
		this.gate.run(() -> {
			if (this.failure == null && !this.ended) {
				this.requests.cancel("cancelled by the sender", null);
			}
		});
	}

}
