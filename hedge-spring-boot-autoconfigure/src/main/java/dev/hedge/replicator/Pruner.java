package dev.hedge.replicator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hedge.crdt.GCounter;
import dev.hedge.crdt.ORMap;
import dev.hedge.crdt.ORSet;
import dev.hedge.crdt.PNCounter;
import dev.hedge.crdt.RemovedReplicaPruning;
import dev.hedge.crdt.ReplicatedData;
import dev.hedge.election.Leadership;
import dev.hedge.membership.Membership;

/**
 * The leader's pruning of replicas gone for good, following {@link RemovedReplicaPruning}'s rule: a replica is gone
 * when its member runs with another replica id (a restarted process) or has been absent from the member list for
 * the pruning delay; the leader then merges every live member's state (one anti-entropy round with each, all of
 * which must succeed), records in the store that it prunes the replica (exactly one pruner per replica, whatever the
 * leader changes), and prunes every value that holds state of it into its own replica id, as ordinary local updates
 * (pushed and stored like any other). Values read the same before and after. Runs on a sync thread, one round at a
 * time; thread-safe.
 */
final class Pruner {

	private static final Logger logger = LoggerFactory.getLogger(Pruner.class);

	private final String group;

	private final String member;

	private final LocalState state;

	private final Leadership leadership;

	private final Membership membership;

	private final Peers peers;

	private final ReplicaSnapshotStore store;

	private final Predicate<String> syncWith;

	private final Duration delay;

	private final Duration storeTimeout;

	private final ReplicatorObserver observer;

	private final Map<String, Long> absentSince = new HashMap<>();

	private final Set<String> ownedElsewhere = new HashSet<>();

	private final AtomicLong pruned = new AtomicLong();

	Pruner(String group, String member, LocalState state, Leadership leadership, Membership membership, Peers peers,
			ReplicaSnapshotStore store, Predicate<String> syncWith, ReplicatorOptions options, Duration storeTimeout,
			ReplicatorObserver observer) {
		this.group = group;
		this.member = member;
		this.state = state;
		this.leadership = leadership;
		this.membership = membership;
		this.peers = peers;
		this.store = store;
		this.syncWith = syncWith;
		this.delay = options.pruningDelay();
		this.storeTimeout = storeTimeout;
		this.observer = observer;
	}

	long pruned() {
		return this.pruned.get();
	}

	/** One pruning round (does nothing unless this member leads). */
	synchronized void run() {
		if (!this.leadership.isLeader() || this.store == null) {
			return;
		}
		String self = this.state.replica();
		List<String> members = this.membership.members();
		Set<String> eligible = new HashSet<>();
		long now = System.nanoTime();
		Set<String> absent = new HashSet<>();
		for (String replica : replicasInData()) {
			String owner = Names.owner(replica);
			String of = Names.memberOf(owner);
			if (owner.equals(self) || of == null || this.ownedElsewhere.contains(owner)) {
				continue;
			}
			if (of.equals(this.member)) {
				eligible.add(owner);
			}
			else if (members.contains(of)) {
				this.peers.replicaOf(of).filter((running) -> !running.equals(owner)).ifPresent((r) -> eligible.add(owner));
			}
			else {
				absent.add(of);
				long since = this.absentSince.computeIfAbsent(of, (m) -> now);
				if (now - since >= this.delay.toNanos()) {
					eligible.add(owner);
				}
			}
		}
		this.absentSince.keySet().retainAll(absent);
		if (eligible.isEmpty()) {
			return;
		}
		for (String peer : members) {
			if (!peer.equals(this.member) && !this.syncWith.test(peer)) {
				logger.debug("Pruning postponed: could not merge the state of {}", peer);
				return;
			}
		}
		for (String removed : eligible) {
			prune(removed, self);
		}
	}

	private void prune(String removed, String self) {
		String pruner;
		try {
			pruner = this.store.decidePruning(this.group, removed, self, this.storeTimeout);
		}
		catch (RuntimeException ex) {
			logger.debug("Pruning of {} postponed: the store did not record it: {}", removed, ex.getMessage());
			return;
		}
		if (!pruner.equals(self)) {
			this.ownedElsewhere.add(removed);
			logger.info("Replica {} is pruned by {} (recorded earlier), not by {}", removed, pruner, self);
			return;
		}
		int values = 0;
		for (LocalState.Entry entry : new ArrayList<>(this.state.entries())) {
			if (entry.value instanceof RemovedReplicaPruning<?> prunable && prunable.needsPruningFrom(removed)) {
				pruneEntry(entry, removed);
				values++;
			}
		}
		this.pruned.incrementAndGet();
		this.observer.pruned(removed, values);
		logger.info("Pruned replica {} from {} values into {}", removed, values, self);
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private void pruneEntry(LocalState.Entry entry, String removed) {
		this.state.update(entry.name, (DataType) entry.type,
				(value, replica) -> ((RemovedReplicaPruning) value).prune(removed, replica), (delta) -> {
				});
	}

	/** Every replica id that holds state in this member's values. */
	private Set<String> replicasInData() {
		Set<String> replicas = new HashSet<>();
		for (LocalState.Entry entry : this.state.entries()) {
			collect(entry.value, replicas);
		}
		return replicas;
	}

	static void collect(Object value, Set<String> replicas) {
		if (value instanceof GCounter counter) {
			replicas.addAll(counter.slots().keySet());
		}
		else if (value instanceof PNCounter counter) {
			replicas.addAll(counter.increments().slots().keySet());
			replicas.addAll(counter.decrements().slots().keySet());
		}
		else if (value instanceof ORSet<?> set) {
			replicas.addAll(set.context().replicas());
		}
		else if (value instanceof ORMap<?, ?> map) {
			replicas.addAll(map.context().replicas());
			for (Object nested : map.toMap().values()) {
				collect(nested, replicas);
			}
		}
	}

}
