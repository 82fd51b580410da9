package dev.hedge.crdt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A map from keys to nested replicated values ("likes per post": {@code ORMap<String, GSet<String>>}), where keys
 * are added and removed like the elements of an {@link ORSet} (observed-remove, adds win, no tombstones) and each
 * key's value is itself a CRDT of any type.
 *
 * <p>How it works: every update of a key is an event with its own {@link Dot}, and the key holds, per live dot, that
 * update's <em>contribution</em> (the nested delta it made); the key's value is the join of its live
 * contributions. The map keeps a {@link CausalContext} of every dot seen, and merges the dots of each key exactly as
 * an {@link ORSet} merges an element's. Removing a key drops its dots (keeping them in the context), so a remove
 * undoes exactly the updates it observed, and an update it did not observe survives. To keep a key's dots few, an
 * update whose contribution subsumes the same replica's previous contribution to that key replaces it (a counter's
 * delta is the replica's whole slot, so a counter key holds one dot per replica); otherwise, as for sets, the key
 * holds a dot per update that changed something (an update that changes nothing adds nothing and its delta is
 * empty).
 *
 * <p><b>Remove concurrent with update</b> (adds win): the key survives, and its value is the join of the
 * contributions the remove had not observed: the concurrent update's delta (and any other update the remover had
 * not seen). What the remover had observed is gone; for a counter the concurrent update's delta is its replica's
 * whole slot, so the value is that replica's total. A key updated after it was removed at that replica starts again
 * from the {@code initial} value given to {@link #update}. A key stays (until removed) even if its value is empty.
 *
 * <p>Nested replica state restarts: a key created again at a replica after it was removed there starts from
 * {@code initial}, so a nested type that numbers per replica (a counter's slots, a nested {@link ORSet}'s dots)
 * numbers from scratch. A replica that has not yet seen the remove joins the old and the new contributions for a
 * while: a counter may show the old count, and in a nested {@link ORSet} one nested dot may tag an old and a new
 * element, so that a nested remove made there in that window removes both. Replicas still converge. To stay clear
 * of this, do not re-create a removed key from the same replica soon after removing it (or do not reuse keys).
 *
 * <p>Keys must be immutable with {@code equals} and {@code hashCode} by content, and not {@code null}.
 *
 * <p>Immutable and thread-safe. A mutation copies the key map (linear in the number of keys) and the key's
 * contributions; an update's delta holds that key's new contribution only. {@link #get} is constant time (the joined
 * value is kept), merge is linear in both sides. Size is linear in the dots held (one per replica for a counter key,
 * about one per element for a set key, whose contributions then take about as much room again as its value) plus
 * the replicas in the context,
 * hence {@link RemovedReplicaPruning pruning} (which also prunes nested values that support it);
 * {@link #split(int)} cuts a large map into chunks that merge back to it and {@link #subMap} takes some keys.
 *
 * @param <K> the key type
 * @param <V> the nested value type
 */
public final class ORMap<K, V extends ReplicatedData<V>> implements RemovedReplicaPruning<ORMap<K, V>> {

	private static final ORMap<?, ?> EMPTY = new ORMap<>(Map.of(), CausalContext.empty(), Set.of());

	private static final String PRUNED_SLOT = "/pruned";

	/** Per key: its live contributions (non-empty, dots in the context, none of a pruned replica) and their join. */
	private final Map<K, Entry<V>> entries;

	private final CausalContext context;

	private final Set<String> pruned;

	private ORMap(Map<K, Entry<V>> entries, CausalContext context, Set<String> pruned) {
		this.entries = entries;
		this.context = context;
		this.pruned = pruned;
	}

	/**
	 * The empty map.
	 * @param <K> the key type
	 * @param <V> the nested value type
	 * @return the empty map
	 */
	@SuppressWarnings("unchecked")
	public static <K, V extends ReplicatedData<V>> ORMap<K, V> empty() {
		return (ORMap<K, V>) EMPTY;
	}

	/**
	 * Rebuilds a map from its parts, as read through {@link #contributions()}, {@link #context()} and
	 * {@link #prunedReplicas()}. Joins each key's contributions.
	 * @param <K> the key type
	 * @param <V> the nested value type
	 * @param contributions each key's contributions by dot (non-empty; each dot in the context and used once)
	 * @param context the dots seen
	 * @param prunedReplicas the pruned replicas (none may appear in the context)
	 * @return the map
	 * @throws IllegalArgumentException if the parts are inconsistent
	 */
	public static <K, V extends ReplicatedData<V>> ORMap<K, V> of(Map<K, Map<Dot, V>> contributions,
			CausalContext context, Set<String> prunedReplicas) {
		Set<String> pruned = Replicas.copyOf(prunedReplicas);
		for (String replica : pruned) {
			if (context.mentions(replica)) {
				throw new IllegalArgumentException("The context holds dots of pruned replica " + replica);
			}
		}
		Set<Dot> seen = new HashSet<>();
		Map<K, Entry<V>> entries = new HashMap<>();
		contributions.forEach((key, byDot) -> {
			Objects.requireNonNull(key, "key");
			if (byDot.isEmpty()) {
				throw new IllegalArgumentException("Key " + key + " has no contributions");
			}
			byDot.forEach((dot, value) -> {
				Objects.requireNonNull(value, "value");
				if (!context.contains(dot) || !seen.add(dot)) {
					throw new IllegalArgumentException("Dot " + dot + " of " + key
							+ " is not in the context or belongs to two keys");
				}
			});
			Map<Dot, V> copy = Collections.unmodifiableMap(new HashMap<>(byDot));
			entries.put(key, new Entry<>(copy, joinAll(new ArrayList<>(copy.values()))));
		});
		return create(entries, context, pruned);
	}

	private static <K, V extends ReplicatedData<V>> ORMap<K, V> create(Map<K, Entry<V>> entries,
			CausalContext context, Set<String> pruned) {
		if (entries.isEmpty() && context.isEmpty() && pruned.isEmpty()) {
			return empty();
		}
		return new ORMap<>(Collections.unmodifiableMap(entries), context, pruned);
	}

	/**
	 * Updates the value of {@code key} (creating the key if absent) with {@code mutator}, which is called once, on
	 * the calling thread, with the current value, or {@code initial} if the key is absent here, and must return a
	 * mutation of that value (for example {@code (likes) -> likes.add(user)}).
	 * @param replica the replica updating (this state must be its own; nested mutations should use it too)
	 * @param key the key
	 * @param initial the value of a key that is absent here (usually the nested type's empty value)
	 * @param mutator the nested mutation
	 * @return the new state, and a delta holding only this key's new contribution (empty if the key was present
	 * and the mutation changed nothing)
	 * @throws IllegalStateException if {@code replica} was pruned
	 */
	public Mutation<ORMap<K, V>> update(String replica, K key, V initial, Function<? super V, Mutation<V>> mutator) {
		Replicas.check(replica);
		Objects.requireNonNull(key, "key");
		Objects.requireNonNull(initial, "initial");
		Replicas.checkNotPruned(this.pruned, replica);
		Entry<V> entry = this.entries.get(key);
		V current = (entry != null) ? entry.value() : initial;
		Mutation<V> nested = Objects.requireNonNull(mutator.apply(current), "The mutator returned no mutation");
		if (entry != null && nested.state().equals(current)) {
			return new Mutation<>(this, empty());
		}
		Dot dot = this.context.nextDot(replica);
		V contribution = (entry != null) ? nested.delta() : nested.state();
		Map<Dot, V> contributions = new HashMap<>();
		List<Dot> replaced = new ArrayList<>();
		replaced.add(dot);
		if (entry != null) {
			contributions.putAll(entry.contributions());
			Dot latest = null;
			for (Dot held : contributions.keySet()) {
				if (held.replica().equals(replica) && (latest == null || held.counter() > latest.counter())) {
					latest = held;
				}
			}
			if (latest != null && contribution.merge(contributions.get(latest)).equals(contribution)) {
				contributions.remove(latest);
				replaced.add(latest);
			}
		}
		contributions.put(dot, contribution);
		Map<K, Entry<V>> entries = new HashMap<>(this.entries);
		entries.put(key, new Entry<>(Collections.unmodifiableMap(contributions), nested.state()));
		ORMap<K, V> delta = create(Map.of(key, new Entry<>(Map.of(dot, contribution), contribution)),
				CausalContext.of(replaced), Set.of());
		return new Mutation<>(create(entries, this.context.add(dot), this.pruned), delta);
	}

	/**
	 * Removes a key: the updates of it this replica has seen are undone everywhere; updates it has not seen survive
	 * (see the class description).
	 * @param key the key
	 * @return the new state and a delta holding the key's removed dots (empty if the key was absent)
	 */
	public Mutation<ORMap<K, V>> remove(K key) {
		Entry<V> entry = this.entries.get(key);
		if (entry == null) {
			return new Mutation<>(this, empty());
		}
		Map<K, Entry<V>> entries = new HashMap<>(this.entries);
		entries.remove(key);
		return new Mutation<>(create(entries, this.context, this.pruned),
				create(Map.of(), CausalContext.of(entry.contributions().keySet()), Set.of()));
	}

	/**
	 * The value of a key.
	 * @param key the key
	 * @return the value, or empty if the key is absent
	 */
	public Optional<V> get(Object key) {
		Entry<V> entry = this.entries.get(key);
		return (entry != null) ? Optional.of(entry.value()) : Optional.empty();
	}

	/**
	 * Whether the map holds {@code key}.
	 * @param key the key
	 * @return whether it is present
	 */
	public boolean containsKey(Object key) {
		return this.entries.containsKey(key);
	}

	/**
	 * The keys.
	 * @return an unmodifiable set
	 */
	public Set<K> keys() {
		return this.entries.keySet();
	}

	/**
	 * The number of keys.
	 * @return the size
	 */
	public int size() {
		return this.entries.size();
	}

	/**
	 * Whether there are no keys (the map may still carry a context).
	 * @return whether the map is empty
	 */
	public boolean isEmpty() {
		return this.entries.isEmpty();
	}

	/**
	 * The keys and their values. Linear in the number of keys.
	 * @return a new unmodifiable map
	 */
	public Map<K, V> toMap() {
		Map<K, V> map = new HashMap<>();
		this.entries.forEach((key, entry) -> map.put(key, entry.value()));
		return Collections.unmodifiableMap(map);
	}

	/**
	 * Each key's contributions by dot, for serializers. Linear in the number of keys.
	 * @return a new unmodifiable map
	 */
	public Map<K, Map<Dot, V>> contributions() {
		Map<K, Map<Dot, V>> map = new HashMap<>();
		this.entries.forEach((key, entry) -> map.put(key, entry.contributions()));
		return Collections.unmodifiableMap(map);
	}

	/**
	 * The dots this map has seen, for serializers.
	 * @return the context
	 */
	public CausalContext context() {
		return this.context;
	}

	@Override
	public Set<String> prunedReplicas() {
		return this.pruned;
	}

	@Override
	public ORMap<K, V> merge(ORMap<K, V> other) {
		if (this == other || other == EMPTY) {
			return this;
		}
		if (this == EMPTY) {
			return other;
		}
		Set<String> pruned = Replicas.union(this.pruned, other.pruned);
		ORMap<K, V> a = cleaned(pruned);
		ORMap<K, V> b = other.cleaned(pruned);
		Map<K, Entry<V>> entries = new HashMap<>();
		a.entries.forEach((key, entry) -> {
			Entry<V> kept = join(entry, a.context, b.entries.get(key), b.context);
			if (kept != null) {
				entries.put(key, kept);
			}
		});
		b.entries.forEach((key, entry) -> {
			if (!a.entries.containsKey(key)) {
				Entry<V> kept = join(entry, b.context, null, a.context);
				if (kept != null) {
					entries.put(key, kept);
				}
			}
		});
		return create(entries, a.context.merge(b.context), pruned);
	}

	/**
	 * The contributions of one key that survive a merge, and their join; {@code theirs} is {@code null} if they do
	 * not hold the key. Reuses a side's joined value when all of that side's contributions survive.
	 */
	private static <V extends ReplicatedData<V>> Entry<V> join(Entry<V> mine, CausalContext myContext,
			Entry<V> theirs, CausalContext theirContext) {
		Map<Dot, V> kept = new HashMap<>();
		List<V> mineOnly = new ArrayList<>();
		List<V> theirsOnly = new ArrayList<>();
		List<V> bothChanged = new ArrayList<>();
		boolean allMine = true;
		boolean allTheirs = theirs != null;
		for (Map.Entry<Dot, V> contribution : mine.contributions().entrySet()) {
			Dot dot = contribution.getKey();
			V value = contribution.getValue();
			V same = (theirs != null) ? theirs.contributions().get(dot) : null;
			if (same != null) {
				V joined = value.equals(same) ? value : value.merge(same);
				kept.put(dot, joined);
				if (joined != value) {
					bothChanged.add(joined);
				}
			}
			else if (!theirContext.contains(dot)) {
				kept.put(dot, value);
				mineOnly.add(value);
			}
			else {
				allMine = false;
			}
		}
		if (theirs != null) {
			for (Map.Entry<Dot, V> contribution : theirs.contributions().entrySet()) {
				if (mine.contributions().containsKey(contribution.getKey())) {
					continue;
				}
				if (!myContext.contains(contribution.getKey())) {
					kept.put(contribution.getKey(), contribution.getValue());
					theirsOnly.add(contribution.getValue());
				}
				else {
					allTheirs = false;
				}
			}
		}
		if (kept.isEmpty()) {
			return null;
		}
		if (allMine) {
			if (theirsOnly.isEmpty() && bothChanged.isEmpty()) {
				return mine;
			}
			theirsOnly.addAll(bothChanged);
			theirsOnly.add(mine.value());
			return new Entry<>(Collections.unmodifiableMap(kept), joinAll(theirsOnly));
		}
		if (allTheirs) {
			if (mineOnly.isEmpty() && bothChanged.isEmpty()) {
				return theirs;
			}
			mineOnly.addAll(bothChanged);
			mineOnly.add(theirs.value());
			return new Entry<>(Collections.unmodifiableMap(kept), joinAll(mineOnly));
		}
		return new Entry<>(Collections.unmodifiableMap(kept), joinAll(new ArrayList<>(kept.values())));
	}

	/** The join of non-empty {@code values}, pairwise in rounds so that sets grow by doubling, not one by one. */
	private static <V extends ReplicatedData<V>> V joinAll(List<V> values) {
		List<V> round = values;
		while (round.size() > 1) {
			List<V> next = new ArrayList<>((round.size() + 1) / 2);
			for (int i = 0; i < round.size(); i += 2) {
				next.add((i + 1 < round.size()) ? round.get(i).merge(round.get(i + 1)) : round.get(i));
			}
			round = next;
		}
		return round.get(0);
	}

	/** This map with {@code pruned} as its markers, without the dots of any marked replica. */
	private ORMap<K, V> cleaned(Set<String> pruned) {
		if (pruned.equals(this.pruned)) {
			return this;
		}
		Set<String> fresh = new HashSet<>();
		for (String replica : pruned) {
			if (this.context.mentions(replica)) {
				fresh.add(replica);
			}
		}
		if (fresh.isEmpty()) {
			return new ORMap<>(this.entries, this.context, pruned);
		}
		Map<K, Entry<V>> entries = new HashMap<>();
		this.entries.forEach((key, entry) -> {
			Map<Dot, V> kept = new HashMap<>(entry.contributions());
			kept.keySet().removeIf((dot) -> fresh.contains(dot.replica()));
			if (kept.size() == entry.contributions().size()) {
				entries.put(key, entry);
			}
			else if (!kept.isEmpty()) {
				entries.put(key,
						new Entry<>(Collections.unmodifiableMap(kept), joinAll(new ArrayList<>(kept.values()))));
			}
		});
		return create(entries, this.context.without(fresh), pruned);
	}

	@Override
	public boolean needsPruningFrom(String replica) {
		if (this.pruned.contains(replica)) {
			return false;
		}
		if (this.context.mentions(replica)) {
			return true;
		}
		for (Entry<V> entry : this.entries.values()) {
			if (valueNeedsPruning(entry.value(), replica)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The replica id under which pruning by {@code replica} files the state it moves out of nested values: not
	 * {@code replica} itself, whose own nested updates write under its id (see {@link #prune}).
	 * @param replica the pruning replica
	 * @return {@code replica + "/pruned"}
	 */
	public static String prunedSlotOf(String replica) {
		return replica + PRUNED_SLOT;
	}

	private static boolean valueNeedsPruning(Object value, String replica) {
		return value instanceof RemovedReplicaPruning<?> prunable
				&& (prunable.needsPruningFrom(replica) || prunable.needsPruningFrom(prunedSlotOf(replica)));
	}

	/** The nested value without {@code removedReplica} and its pruned slot, both moved to the pruner's slot. */
	@SuppressWarnings("unchecked")
	private static <V> V pruneValue(V value, String removedReplica, String collapseInto) {
		String slot = prunedSlotOf(collapseInto);
		Object pruned = ((RemovedReplicaPruning<?>) value).prune(removedReplica, slot).state();
		return (V) ((RemovedReplicaPruning<?>) pruned).prune(prunedSlotOf(removedReplica), slot).state();
	}

	/**
	 * {@inheritDoc}
	 * <p>In each key, the contributions that involve the removed replica (its own updates, and any whose nested
	 * value holds state of it) are joined, with the key's earlier pruned state, into one contribution under a new
	 * dot of {@code collapseInto} that replaces them (as if the pruner had made those updates); the key's other
	 * contributions stay. A nested value that supports pruning is pruned too, but into
	 * {@link #prunedSlotOf(String) prunedSlotOf(collapseInto)}, not into {@code collapseInto}: a nested counter's
	 * delta is its replica's whole slot, so moving the removed replica's count into the pruner's own slot would let
	 * the pruner's next update carry it past a concurrent remove of the key that had observed (and removed) it. That
	 * slot is written only by the pruner's pruning; when the pruner is itself pruned, its slot is pruned with it.
	 * Keys are numbered in the order of their hash codes (then their text), so equal maps prune to equal maps. The
	 * delta holds the new contributions.
	 */
	@Override
	public Mutation<ORMap<K, V>> prune(String removedReplica, String collapseInto) {
		Replicas.checkPruning(this.pruned, removedReplica, collapseInto);
		if (!needsPruningFrom(removedReplica)) {
			return new Mutation<>(this, empty());
		}
		String slot = prunedSlotOf(collapseInto);
		long next = this.context.max(collapseInto);
		Map<K, Entry<V>> entries = new HashMap<>();
		Map<K, Entry<V>> rewritten = new HashMap<>();
		List<Dot> seen = new ArrayList<>();
		for (K key : Replicas.ordered(this.entries.keySet())) {
			Entry<V> entry = this.entries.get(key);
			Map<Dot, V> kept = new HashMap<>();
			List<V> involved = new ArrayList<>();
			List<Dot> replaced = new ArrayList<>();
			boolean affected = false;
			for (Map.Entry<Dot, V> contribution : entry.contributions().entrySet()) {
				Dot dot = contribution.getKey();
				V value = contribution.getValue();
				boolean removed = dot.replica().equals(removedReplica) || valueNeedsPruning(value, removedReplica);
				if (removed || valueHolds(value, slot)) {
					affected |= removed;
					involved.add(value);
					if (!dot.replica().equals(removedReplica)) {
						replaced.add(dot);
					}
				}
				else {
					kept.put(dot, value);
				}
			}
			if (!affected) {
				entries.put(key, entry);
				continue;
			}
			seen.addAll(replaced);
			V joined = joinAll(involved);
			V value = valueNeedsPruning(joined, removedReplica) ? pruneValue(joined, removedReplica, collapseInto)
					: joined;
			next = Math.addExact(next, 1);
			Dot dot = new Dot(collapseInto, next);
			seen.add(dot);
			kept.put(dot, value);
			entries.put(key, new Entry<>(Collections.unmodifiableMap(kept), joinAll(new ArrayList<>(kept.values()))));
			rewritten.put(key, new Entry<>(Map.of(dot, value), value));
		}
		CausalContext context = this.context.without(Set.of(removedReplica)).addAll(seen);
		return new Mutation<>(create(entries, context, Replicas.with(this.pruned, removedReplica)),
				create(rewritten, CausalContext.of(seen), Set.of(removedReplica)));
	}

	private static boolean valueHolds(Object value, String replica) {
		return value instanceof RemovedReplicaPruning<?> prunable && prunable.needsPruningFrom(replica);
	}

	/**
	 * The given keys of this map with their values, carrying only those keys' own dots as context: a value below
	 * this map that adds or refreshes those keys wherever it is merged and removes nothing (it does not carry the
	 * removals this map has seen). For shipping or serving a few keys; use {@link #split(int)} for the whole map.
	 * Linear in the number of keys asked for.
	 * @param keys the keys (absent ones are ignored)
	 * @return the sub-map
	 */
	public ORMap<K, V> subMap(Set<? extends K> keys) {
		Map<K, Entry<V>> entries = new HashMap<>();
		List<Dot> dots = new ArrayList<>();
		for (K key : keys) {
			Entry<V> entry = this.entries.get(key);
			if (entry != null) {
				entries.put(key, entry);
				dots.addAll(entry.contributions().keySet());
			}
		}
		return create(entries, CausalContext.of(dots), this.pruned);
	}

	/**
	 * Cuts this map into chunks holding at most {@code maxDots} contributions each (a key with contributions in
	 * several chunks appears in each, with the join of its contributions there), whose merge is this map; each chunk
	 * is below this map, so it can be merged anywhere on its own, in any order. Chunks are cut by ranges of each
	 * replica's counters, and each carries the part of the context in its ranges, so the removals are spread over
	 * the chunks too. Linear in the size of the map. A chunk is bounded in contributions, not bytes: a single large
	 * contribution (such as one written by pruning) stays whole.
	 * @param maxDots the most contributions per chunk, at least 1
	 * @return the chunks (just this map if it holds at most {@code maxDots} contributions)
	 */
	public List<ORMap<K, V>> split(int maxDots) {
		if (maxDots < 1) {
			throw new IllegalArgumentException("A chunk holds at least one dot, got " + maxDots);
		}
		List<Dot> live = new ArrayList<>();
		this.entries.values().forEach((entry) -> live.addAll(entry.contributions().keySet()));
		if (live.size() <= maxDots) {
			return List.of(this);
		}
		Chunks chunks = new Chunks(this.context, live, maxDots);
		List<Map<K, Map<Dot, V>>> parts = new ArrayList<>();
		for (int i = 0; i < chunks.count(); i++) {
			parts.add(new HashMap<>());
		}
		this.entries.forEach((key, entry) -> entry.contributions()
			.forEach((dot, value) -> parts.get(chunks.windowOf(dot))
				.computeIfAbsent(key, (k) -> new HashMap<>())
				.put(dot, value)));
		List<ORMap<K, V>> result = new ArrayList<>();
		for (int i = 0; i < chunks.count(); i++) {
			Map<K, Entry<V>> entries = new HashMap<>();
			parts.get(i).forEach((key, byDot) -> {
				Entry<V> whole = this.entries.get(key);
				entries.put(key, (byDot.size() == whole.contributions().size()) ? whole
						: new Entry<>(Collections.unmodifiableMap(byDot), joinAll(new ArrayList<>(byDot.values()))));
			});
			result.add(create(entries, this.context.restrict(chunks.window(i)), this.pruned));
		}
		return Collections.unmodifiableList(result);
	}

	@Override
	public boolean equals(Object other) {
		return (this == other) || (other instanceof ORMap<?, ?> that) && this.entries.equals(that.entries)
				&& this.context.equals(that.context) && this.pruned.equals(that.pruned);
	}

	@Override
	public int hashCode() {
		return (this.entries.hashCode() * 31 + this.context.hashCode()) * 31 + this.pruned.hashCode();
	}

	@Override
	public String toString() {
		StringBuilder text = new StringBuilder("ORMap{entries={");
		String separator = "";
		for (K key : Replicas.sorted(this.entries.keySet())) {
			Entry<V> entry = this.entries.get(key);
			text.append(separator).append(key).append('=').append(entry.value()).append(" from {");
			String inner = "";
			for (Dot dot : Replicas.sorted(entry.contributions().keySet())) {
				text.append(inner).append(dot).append('=').append(entry.contributions().get(dot));
				inner = ", ";
			}
			text.append('}');
			separator = ", ";
		}
		text.append("}, context=").append(this.context);
		if (!this.pruned.isEmpty()) {
			text.append(", pruned=").append(Replicas.sorted(this.pruned));
		}
		return text.append('}').toString();
	}

	/** A key's live contributions by dot and their join (kept, so that reads are constant time). */
	private record Entry<V>(Map<Dot, V> contributions, V value) {

	}

}
