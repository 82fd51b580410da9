package dev.hedge.sos;

import java.util.List;
import java.util.NoSuchElementException;

import io.grpc.Channel;

/**
 * A reader over a snapshot of a store's write order. See {@link SosReader}.
 */
final class Reader implements SosReader {

	private final StoreState store;

	private final List<SegmentIndex.RunView> runs;

	private final long total;

	private int run;

	private long withinRun;

	private long position;

	private DiskTier.View view;

	private PeerFetch fetch;

	private boolean closed;

	Reader(StoreState store, List<SegmentIndex.RunView> runs, long total) {
		this.store = store;
		this.runs = runs;
		this.total = total;
	}

	@Override
	public long records() {
		return this.total;
	}

	@Override
	public long position() {
		return this.position;
	}

	@Override
	public boolean hasNext() {
		if (this.closed) {
			throw new SosClosedException("reader of '" + this.store.name + "' is closed");
		}
		return this.position < this.total;
	}

	@Override
	public byte[] next() {
		if (!hasNext()) {
			throw new NoSuchElementException("no more records in '" + this.store.name + "'");
		}
		this.store.checkLive();
		SegmentIndex.RunView current = this.runs.get(this.run);
		long index = current.start() + this.withinRun;
		byte[] record = switch (current.location().kind()) {
			case MEMORY -> this.store.memory().get(index);
			case DISK -> diskView().read(index);
			case PEER -> peerFetch(current).next();
		};
		this.position++;
		this.withinRun++;
		if (this.withinRun == current.count()) {
			this.run++;
			this.withinRun = 0;
			if (this.fetch != null) {
				this.fetch.close();
				this.fetch = null;
			}
		}
		return record;
	}

	private DiskTier.View diskView() {
		if (this.view == null) {
			long count = 0;
			for (SegmentIndex.RunView each : this.runs) {
				if (each.location().kind() == Location.Kind.DISK) {
					count = Math.max(count, each.start() + each.count());
				}
			}
			this.view = this.store.disk().view(count);
		}
		return this.view;
	}

	private PeerFetch peerFetch(SegmentIndex.RunView current) {
		if (this.fetch == null) {
			Channel channel;
			try {
				channel = this.store.owner.channel(current.location().member());
			}
			catch (RuntimeException ex) {
				throw new SosReadException(this.store.name, current.location().member(), this.position,
						current.first() + current.count(), ex.getMessage(), ex);
			}
			this.fetch = PeerFetch.open(this.store, current, channel);
		}
		return this.fetch;
	}

	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		if (this.fetch != null) {
			this.fetch.close();
		}
		if (this.view != null) {
			this.view.close();
		}
		this.store.readerClosed();
	}

}
