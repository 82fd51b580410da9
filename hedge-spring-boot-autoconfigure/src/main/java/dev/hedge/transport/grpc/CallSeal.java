package dev.hedge.transport.grpc;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.concurrent.atomic.AtomicLong;

import javax.crypto.Mac;

/**
 * The per-message half of {@link GroupSecret}: frames each message of one call as {@code [1][HMAC][bytes]}, the HMAC
 * taken over the call's MAC, the direction, the message's position in its direction and the bytes. A message is only
 * accepted at its own position of its own call, so messages can be neither altered, nor moved between calls, nor
 * replayed, nor reordered. Thread-safe (gRPC may send and receive on different threads; each direction is sequential).
 */
final class CallSeal {

	/** Which end of the call this seal belongs to. */
	enum Side {

		CLIENT, SERVER

	}

	private static final byte FRAME_VERSION = 1;

	private static final byte REQUEST = 'Q';

	private static final byte REPLY = 'A';

	private static final int HEADER = 1 + GroupSecret.MAC_BYTES;

	private final GroupSecret.Key key;

	private final byte[] callMac;

	private final Side side;

	private final AtomicLong sent = new AtomicLong();

	private final AtomicLong received = new AtomicLong();

	CallSeal(GroupSecret.Key key, byte[] callMac, Side side) {
		this.key = key;
		this.callMac = callMac;
		this.side = side;
	}

	/**
	 * Frames the next message this side sends.
	 * @param message the serialized message
	 * @return the frame
	 */
	byte[] seal(byte[] message) {
		byte direction = (this.side == Side.CLIENT) ? REQUEST : REPLY;
		byte[] tag = tag(direction, this.sent.getAndIncrement(), message);
		byte[] frame = new byte[HEADER + message.length];
		frame[0] = FRAME_VERSION;
		System.arraycopy(tag, 0, frame, 1, tag.length);
		System.arraycopy(message, 0, frame, HEADER, message.length);
		return frame;
	}

	/**
	 * Checks the next frame this side receives.
	 * @param frame the frame
	 * @return the serialized message
	 * @throws GroupSecret.Refused when the frame is not the sender's next message of this call
	 */
	byte[] open(byte[] frame) throws GroupSecret.Refused {
		if (frame.length < HEADER || frame[0] != FRAME_VERSION) {
			throw new GroupSecret.Refused("message not sealed with the group secret");
		}
		byte direction = (this.side == Side.CLIENT) ? REPLY : REQUEST;
		byte[] message = new byte[frame.length - HEADER];
		System.arraycopy(frame, HEADER, message, 0, message.length);
		byte[] expected = tag(direction, this.received.getAndIncrement(), message);
		byte[] actual = new byte[GroupSecret.MAC_BYTES];
		System.arraycopy(frame, 1, actual, 0, actual.length);
		if (!MessageDigest.isEqual(expected, actual)) {
			throw new GroupSecret.Refused("bad message signature");
		}
		return message;
	}

	private byte[] tag(byte direction, long position, byte[] message) {
		Mac mac = this.key.mac();
		mac.update(this.callMac);
		mac.update(direction);
		mac.update(ByteBuffer.allocate(Long.BYTES).putLong(0, position));
		mac.update(message);
		return mac.doFinal();
	}

}
