package dev.hedge.sos;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/** One handle to a store. See {@link SpillOverStore}. */
final class StoreHandle implements SpillOverStore {

	private final StoreState state;

	private final AtomicBoolean closed = new AtomicBoolean();

	StoreHandle(StoreState state) {
		this.state = state;
	}

	@Override
	public String name() {
		return this.state.name;
	}

	private void checkOpen() {
		if (this.closed.get()) {
			throw new SosClosedException("this handle of spill-over store '" + this.state.name + "' is closed");
		}
		this.state.checkLive();
	}

	@Override
	public SosWriter writer() {
		checkOpen();
		return this.state.openWriter(null);
	}

	@Override
	public SosWriter writer(Duration timeout) {
		Objects.requireNonNull(timeout, "timeout");
		checkOpen();
		return this.state.openWriter(timeout);
	}

	@Override
	public SosReader reader() {
		checkOpen();
		return this.state.openReader();
	}

	@Override
	public SosStoreStats stats() {
		return this.state.stats();
	}

	@Override
	public void delete() {
		this.state.owner.delete(this.state);
	}

	@Override
	public void close() {
		if (this.closed.compareAndSet(false, true)) {
			this.state.releaseHandle();
		}
	}

	@Override
	public String toString() {
		return "SpillOverStore[" + this.state.name + "]";
	}

}
