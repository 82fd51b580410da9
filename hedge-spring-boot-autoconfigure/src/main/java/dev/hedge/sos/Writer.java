package dev.hedge.sos;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import com.google.protobuf.ByteString;
import io.grpc.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A write session: walks the placement order (this member's memory, its disk, then the peers) forward only. See
 * {@link SosWriter} for the contract.
 */
final class Writer implements SosWriter {

	private static final Logger logger = LoggerFactory.getLogger(Writer.class);

	private static final int MEMORY = 0;

	private static final int DISK = 1;

	private static final int PEERS = 2;

	private final StoreState store;

	private final List<String> attempts = new ArrayList<>();

	private final List<PeerSpill> spills = new ArrayList<>();

	private int place = MEMORY;

	private List<String> peerOrder;

	private int nextPeer;

	private volatile PeerSpill current;

	private long localRecords;

	private long localBytes;

	private SosCapacityException failure;

	private boolean failureThrown;

	private volatile boolean closed;

	Writer(StoreState store) {
		this.store = store;
	}

	@Override
	public void write(byte[] record, int offset, int length) {
		if (offset < 0 || length < 0 || offset + length > record.length) {
			throw new IndexOutOfBoundsException("offset " + offset + ", length " + length + ", array " + record.length);
		}
		if (this.closed) {
			throw new SosClosedException("writer of '" + this.store.name + "' is closed");
		}
		this.store.checkLive();
		if (this.failure != null) {
			this.failureThrown = true;
			throw this.failure;
		}
		int max = this.store.owner.maxRecordBytes();
		if (length > max) {
			throw new SosRecordTooLargeException(length, max);
		}
		if (this.place == MEMORY) {
			if (this.store.appendMemory(record, offset, length)) {
				this.localRecords++;
				this.localBytes += length;
				return;
			}
			this.attempts.add(this.store.owner.self() + " memory full (" + this.store.memory().bytes()
					+ " bytes of this store, " + this.store.owner.resources.budget.memoryUsed() + " of "
					+ this.store.owner.resources.budget.memoryLimit() + " used on the member)");
			this.place = DISK;
		}
		if (this.place == DISK) {
			if (this.store.appendDisk(record, offset, length)) {
				this.localRecords++;
				this.localBytes += length;
				return;
			}
			String failed = this.store.disk().failure();
			this.attempts.add(this.store.owner.self() + ((failed != null) ? " disk failed (" + failed + ")"
					: " disk full (" + this.store.disk().bytes() + " bytes of this store, "
							+ this.store.owner.resources.budget.diskUsed() + " of "
							+ this.store.owner.resources.budget.diskLimit() + " used on the member)"));
			this.place = PEERS;
		}
		Deque<ByteString> queue = new ArrayDeque<>();
		queue.add(ByteString.copyFrom(record, offset, length));
		try {
			sendToPeers(queue);
		}
		catch (SosCapacityException ex) {
			this.failureThrown = true;
			throw ex;
		}
	}

	/** Sends the queued records in order, moving on to the next peer whenever one stops. */
	private void sendToPeers(Deque<ByteString> queue) {
		while (!queue.isEmpty()) {
			this.store.checkLive();
			PeerSpill spill = this.current;
			if (spill == null) {
				spill = openNextPeer();
				if (spill == null) {
					fail();
				}
			}
			if (spill.send(queue.peekFirst())) {
				queue.pollFirst();
				continue;
			}
			leave(spill, queue);
		}
	}

	/** Leaves the current peer, putting the records it did not acknowledge in front of the queue. */
	private void leave(PeerSpill spill, Deque<ByteString> queue) {
		List<ByteString> carry = spill.detach();
		String outcome = spill.describe();
		this.attempts.add(outcome);
		this.current = null;
		this.store.checkLive();
		logger.info("Spill-over store '{}': {}; {} records go to the next member", this.store.name, outcome,
				carry.size());
		for (int i = carry.size() - 1; i >= 0; i--) {
			queue.addFirst(carry.get(i));
		}
	}

	private PeerSpill openNextPeer() {
		if (this.peerOrder == null) {
			this.peerOrder = this.store.owner.peerOrder();
		}
		while (this.nextPeer < this.peerOrder.size()) {
			String peer = this.peerOrder.get(this.nextPeer++);
			Channel channel;
			try {
				channel = this.store.owner.channel(peer);
			}
			catch (RuntimeException ex) {
				this.attempts.add("member " + peer + " unreachable (" + ex.getMessage() + ")");
				continue;
			}
			PeerSpill spill = PeerSpill.open(this.store, peer, channel);
			this.spills.add(spill);
			this.current = spill;
			return spill;
		}
		return null;
	}

	private void fail() {
		if (this.peerOrder != null && this.peerOrder.isEmpty()) {
			this.attempts.add("no other member in the group");
		}
		else if (this.peerOrder != null) {
			this.attempts.add("placement order of the peers was " + this.peerOrder);
		}
		this.failure = new SosCapacityException(this.store.name, recordsStored(), bytesStored(), this.attempts);
		logger.warn(this.failure.getMessage());
		throw this.failure;
	}

	@Override
	public long recordsStored() {
		long count = this.localRecords;
		for (PeerSpill spill : this.spills) {
			count += spill.accepted();
		}
		return count;
	}

	private long bytesStored() {
		long bytes = this.localBytes;
		for (PeerSpill spill : this.spills) {
			bytes += spill.acceptedBytes();
		}
		return bytes;
	}

	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		try {
			while (this.failure == null && this.current != null && !this.store.isFreed()) {
				PeerSpill spill = this.current;
				if (spill.finish()) {
					this.current = null;
					break;
				}
				Deque<ByteString> queue = new ArrayDeque<>();
				leave(spill, queue);
				sendToPeers(queue);
			}
		}
		catch (SosCapacityException ex) {
			// recorded in this.failure, thrown below
		}
		catch (SosClosedException ex) {
			// the store was deleted meanwhile: nothing left to keep
		}
		finally {
			PeerSpill spill = this.current;
			if (spill != null) {
				spill.detach();
			}
			this.store.writerClosed(this);
		}
		if (this.failure != null && !this.failureThrown) {
			this.failureThrown = true;
			throw this.failure;
		}
	}

	/** Cancels the current peer stream (the store was freed); the next call fails with {@link SosClosedException}. */
	void abort() {
		PeerSpill spill = this.current;
		if (spill != null) {
			spill.abort();
		}
	}

}
