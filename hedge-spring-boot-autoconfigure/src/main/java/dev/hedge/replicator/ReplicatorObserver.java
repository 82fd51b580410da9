package dev.hedge.replicator;

import java.util.List;

/**
 * Hooks on the replicator's work, for metrics. Called on hedge's threads (the replicator's own, gRPC's, and callers'
 * threads for reads and writes) as things happen: implementations must be thread-safe, fast and never block. Every
 * method does nothing by default.
 */
public interface ReplicatorObserver {

	/** Observes nothing. */
	ReplicatorObserver NONE = new ReplicatorObserver() {
	};

	/**
	 * One observer that tells each of the given ones, in order.
	 * @param observers the observers
	 * @return {@link #NONE}, the one observer, or a composite
	 */
	static ReplicatorObserver composite(List<ReplicatorObserver> observers) {
		List<ReplicatorObserver> all = List.copyOf(observers);
		if (all.isEmpty()) {
			return NONE;
		}
		if (all.size() == 1) {
			return all.get(0);
		}
		return new ReplicatorObserver() {

			@Override
			public void deltasSent(int entries, long bytes) {
				all.forEach((o) -> o.deltasSent(entries, bytes));
			}

			@Override
			public void deltasReceived(int entries, long bytes) {
				all.forEach((o) -> o.deltasReceived(entries, bytes));
			}

			@Override
			public void antiEntropy(int differing, int repaired, boolean ok) {
				all.forEach((o) -> o.antiEntropy(differing, repaired, ok));
			}

			@Override
			public void consistent(boolean write, Consistency.Level level, boolean ok, long nanos) {
				all.forEach((o) -> o.consistent(write, level, ok, nanos));
			}

			@Override
			public void flushed(long bytes, long nanos) {
				all.forEach((o) -> o.flushed(bytes, nanos));
			}

			@Override
			public void pruned(String replica, int values) {
				all.forEach((o) -> o.pruned(replica, values));
			}

		};
	}

	/**
	 * A batch of deltas (or repairs) was sent to a member and acknowledged.
	 * @param entries the values or chunks in it
	 * @param bytes its encoded size
	 */
	default void deltasSent(int entries, long bytes) {
	}

	/**
	 * A batch of deltas (or repairs) arrived from a member and was merged.
	 * @param entries the values or chunks in it
	 * @param bytes its encoded size
	 */
	default void deltasReceived(int entries, long bytes) {
	}

	/**
	 * An anti-entropy round with a member ended.
	 * @param differing the parts that differed (0 when the digests matched)
	 * @param repaired the parts shipped either way to repair them
	 * @param ok whether the round completed (false: the member could not be reached, or answered badly)
	 */
	default void antiEntropy(int differing, int repaired, boolean ok) {
	}

	/**
	 * An update or read with MAJORITY or ALL consistency completed.
	 * @param write whether it was an update
	 * @param level its consistency level
	 * @param ok whether enough members confirmed in time
	 * @param nanos how long it took
	 */
	default void consistent(boolean write, Consistency.Level level, boolean ok, long nanos) {
	}

	/**
	 * A durable member appended rows to the store.
	 * @param bytes the rows' size
	 * @param nanos how long the append took
	 */
	default void flushed(long bytes, long nanos) {
	}

	/**
	 * The leader pruned a removed replica's state into its own.
	 * @param replica the removed replica
	 * @param values the values that held state of it
	 */
	default void pruned(String replica, int values) {
	}

}
