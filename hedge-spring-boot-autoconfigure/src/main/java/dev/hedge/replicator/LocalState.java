package dev.hedge.replicator;

import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hedge.crdt.Mutation;
import dev.hedge.crdt.RemovedReplicaPruning;
import dev.hedge.crdt.ReplicatedData;

/**
 * This member's replica of every named value: local updates and merges of values from other members, one name at a
 * time under that name's lock, each change reported to a {@link Changes} listener while the lock is held (so the
 * changes of one name reach it in order). Values are immutable; readers take the current one without locking.
 *
 * <p>The replica id is this process's ({@code memberId#incarnation}); should a merge show that the leader pruned it
 * (this member was taken for gone), the member takes a new one and carries on: what it had written under the old id
 * and the pruner had not seen is lost, as documented for pruning. Thread-safe.
 */
final class LocalState {

	private static final Logger logger = LoggerFactory.getLogger(LocalState.class);

	private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

	private final String member;

	private final Changes changes;

	private final AtomicLong version = new AtomicLong();

	private final AtomicLong typeConflicts = new AtomicLong();

	private volatile String replica;

	LocalState(String member, String replica, Changes changes) {
		this.member = member;
		this.replica = replica;
		this.changes = changes;
	}

	/** Told of every change, with the name's lock held. */
	interface Changes {

		/**
		 * @param entry the entry (its value is already the new one)
		 * @param delta what changed: the mutation's delta for a local update, the merged value otherwise
		 * @param local whether this member made the change
		 */
		void changed(Entry entry, ReplicatedData<?> delta, boolean local);

	}

	String replica() {
		return this.replica;
	}

	/** Increases with every change of any value. */
	long version() {
		return this.version.get();
	}

	long typeConflicts() {
		return this.typeConflicts.get();
	}

	Collection<Entry> entries() {
		return this.entries.values();
	}

	Set<String> names() {
		return this.entries.keySet();
	}

	Entry entry(String name) {
		return this.entries.get(name);
	}

	int size() {
		return this.entries.size();
	}

	/** The value held under a name, checked against the type asked for. */
	@SuppressWarnings("unchecked")
	<T extends ReplicatedData<T>> Optional<T> get(String name, DataType<T> type) {
		Entry entry = this.entries.get(name);
		if (entry == null) {
			return Optional.empty();
		}
		if (!entry.type.equals(type)) {
			throw new DataTypeMismatchException(name, entry.type, type);
		}
		return Optional.ofNullable((T) entry.value);
	}

	/**
	 * Applies a local update.
	 * @param check called with the delta before it is applied (size limits); may throw to refuse the update
	 * @return the new value
	 */
	@SuppressWarnings("unchecked")
	<T extends ReplicatedData<T>> T update(String name, DataType<T> type, Modify<T> modify,
			java.util.function.Consumer<T> check) {
		Entry entry = this.entries.computeIfAbsent(name, (n) -> new Entry(n, type));
		if (!entry.type.equals(type)) {
			throw new DataTypeMismatchException(name, entry.type, type);
		}
		synchronized (entry) {
			T current = (entry.value != null) ? (T) entry.value : type.empty();
			Mutation<T> mutation;
			try {
				mutation = modify.apply(current, this.replica);
			}
			catch (IllegalStateException ex) {
				if (!prunedHere(current)) {
					throw ex;
				}
				renew("an update found this replica pruned");
				mutation = modify.apply(current, this.replica);
			}
			if (mutation == null) {
				throw new IllegalArgumentException("The update of '" + name + "' returned no mutation");
			}
			T state = mutation.state();
			if (state == current || state.equals(current)) {
				return current;
			}
			check.accept(mutation.delta());
			entry.value = state;
			entry.changes++;
			this.version.incrementAndGet();
			this.changes.changed(entry, mutation.delta(), true);
			return state;
		}
	}

	/**
	 * Merges a value from another member (or from the store).
	 * @return whether this member's value changed
	 */
	@SuppressWarnings({ "unchecked", "rawtypes" })
	boolean merge(String name, DataType<?> type, ReplicatedData<?> value) {
		Entry entry = this.entries.computeIfAbsent(name, (n) -> new Entry(n, type));
		if (!entry.type.equals(type)) {
			long conflicts = this.typeConflicts.incrementAndGet();
			if (Long.bitCount(conflicts) == 1) {
				logger.warn("Ignored a {} for '{}', which holds a {} here ({} such values so far): every member must"
						+ " use a name with one type", type, name, entry.type, conflicts);
			}
			return false;
		}
		boolean renew;
		synchronized (entry) {
			ReplicatedData current = entry.value;
			ReplicatedData merged = (current != null) ? current.merge((ReplicatedData) value) : value;
			if (merged == current || merged.equals(current)) {
				return false;
			}
			entry.value = merged;
			entry.changes++;
			this.version.incrementAndGet();
			this.changes.changed(entry, value, false);
			renew = prunedHere(merged);
		}
		if (renew) {
			renew("the leader pruned it");
		}
		return true;
	}

	private boolean prunedHere(Object value) {
		return value instanceof RemovedReplicaPruning<?> prunable
				&& prunable.prunedReplicas().contains(this.replica);
	}

	private synchronized void renew(String why) {
		String old = this.replica;
		if (!prunedAnywhere(old)) {
			return;
		}
		this.replica = Names.newReplica(this.member);
		logger.warn("Replica {} continues as {}: {} (it was taken for gone; what it wrote that no other member had"
				+ " seen is lost)", old, this.replica, why);
	}

	private boolean prunedAnywhere(String replica) {
		for (Entry entry : this.entries.values()) {
			if (entry.value instanceof RemovedReplicaPruning<?> prunable
					&& prunable.prunedReplicas().contains(replica)) {
				return true;
			}
		}
		return false;
	}

	/** A named value: its type is fixed, its value changes under the entry's lock. */
	static final class Entry {

		final String name;

		final DataType<?> type;

		/** The current value (null for a register never written); written under the entry's lock. */
		volatile ReplicatedData<?> value;

		/** How many times the value changed; written under the entry's lock. */
		volatile long changes;

		/** The digest parts of the value at {@link #digestedAt} changes; owned by {@link DigestTree}. */
		int[] leaves;

		long[] contributions;

		long digestedAt = -1;

		Entry(String name, DataType<?> type) {
			this.name = name;
			this.type = type;
		}

	}

}
