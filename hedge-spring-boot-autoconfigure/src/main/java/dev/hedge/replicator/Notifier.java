package dev.hedge.replicator;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hedge.common.NamedThreads;
import dev.hedge.crdt.ReplicatedData;

/**
 * Tells {@link ReplicatedDataListener}s of changed names, coalesced: every notify interval, once per name that
 * changed since the last round, with its latest value. Owns {@code hedge-<group>-crdt-events}, started with the first
 * listener and stopped by {@link #close()}. Thread-safe.
 */
final class Notifier implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(Notifier.class);

	private final String owner;

	private final LocalState state;

	private final long intervalNanos;

	private final List<ReplicatedDataListener> listeners = new CopyOnWriteArrayList<>();

	private final Set<String> changed = ConcurrentHashMap.newKeySet();

	private ScheduledExecutorService thread;

	private boolean closed;

	Notifier(String owner, LocalState state, ReplicatorOptions options) {
		this.owner = owner;
		this.state = state;
		this.intervalNanos = options.notifyInterval().toNanos();
	}

	/** A name changed (cheap when nobody listens). */
	void changed(String name) {
		if (!this.listeners.isEmpty()) {
			this.changed.add(name);
		}
	}

	synchronized void add(ReplicatedDataListener listener) {
		this.listeners.add(listener);
		if (this.thread == null && !this.closed) {
			this.thread = Executors.newSingleThreadScheduledExecutor(NamedThreads.single(this.owner, "crdt-events"));
			this.thread.scheduleWithFixedDelay(this::deliver, this.intervalNanos, this.intervalNanos,
					TimeUnit.NANOSECONDS);
		}
	}

	void remove(ReplicatedDataListener listener) {
		this.listeners.remove(listener);
	}

	private void deliver() {
		if (this.changed.isEmpty()) {
			return;
		}
		List<String> names = new ArrayList<>(this.changed);
		this.changed.removeAll(names);
		for (String name : names) {
			LocalState.Entry entry = this.state.entry(name);
			ReplicatedData<?> value = (entry != null) ? entry.value : null;
			if (value == null) {
				continue;
			}
			ReplicatedDataChange change = new ReplicatedDataChange(name, entry.type, value);
			for (ReplicatedDataListener listener : this.listeners) {
				try {
					listener.onChanged(change);
				}
				catch (RuntimeException ex) {
					logger.warn("Replicated data listener {} failed on '{}'", listener, name, ex);
				}
			}
		}
	}

	@Override
	public synchronized void close() {
		this.closed = true;
		if (this.thread != null) {
			this.thread.shutdownNow();
		}
	}

}
