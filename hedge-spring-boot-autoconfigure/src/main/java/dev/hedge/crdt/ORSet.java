package dev.hedge.crdt;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An observed-remove set where adds win, without tombstones (an "ORSWOT", as the add-wins set of the delta-state
 * paper): each element present carries the {@link Dot dots} of the adds that put it there, and the set keeps a
 * {@link CausalContext} of every dot it has seen. A remove drops the element's dots but keeps them in the context;
 * merge keeps a dot that both sides hold, or that one side holds and the other has not seen. So a remove undoes the
 * adds it observed, while an add it did not observe (a concurrent add elsewhere) survives: adds win.
 *
 * <p>Deltas: an add's delta holds the element with its new dot, and in its context the new dot and the element's
 * previous dots (which it replaces); a remove's delta holds no element and, as its context, the removed dots, so that
 * merging it into any replica that has seen those adds removes them there too. Removed elements leave nothing but
 * their dots in the context, which stays compact (a range per replica) once the deltas around a gap have arrived.
 *
 * <p>Elements must be immutable, with {@code equals} and {@code hashCode} by content, and not {@code null}.
 *
 * <p>Immutable and thread-safe. Mutations copy the element map (linear in the number of elements); their deltas
 * hold one element. Size is linear in the elements plus the replicas in the context, hence
 * {@link RemovedReplicaPruning pruning}; {@link #split(int)} cuts a large set into chunks that merge back to it.
 *
 * @param <E> the element type
 */
public final class ORSet<E> implements RemovedReplicaPruning<ORSet<E>> {

	private static final ORSet<?> EMPTY = new ORSet<>(Map.of(), CausalContext.empty(), Set.of());

	/** Each element's dots: non-empty, unmodifiable, all in the context, none of a pruned replica. */
	private final Map<E, Set<Dot>> entries;

	private final CausalContext context;

	private final Set<String> pruned;

	private ORSet(Map<E, Set<Dot>> entries, CausalContext context, Set<String> pruned) {
		this.entries = entries;
		this.context = context;
		this.pruned = pruned;
	}

	/**
	 * The empty set.
	 * @param <E> the element type
	 * @return the empty set
	 */
	@SuppressWarnings("unchecked")
	public static <E> ORSet<E> empty() {
		return (ORSet<E>) EMPTY;
	}

	/**
	 * Rebuilds a set from its parts, as read through {@link #dots()}, {@link #context()} and
	 * {@link #prunedReplicas()}.
	 * @param <E> the element type
	 * @param dots each element's dots (non-empty, each dot in the context and held by one element only)
	 * @param context the dots seen
	 * @param prunedReplicas the pruned replicas (none may appear in the context)
	 * @return the set
	 * @throws IllegalArgumentException if the parts are inconsistent
	 */
	public static <E> ORSet<E> of(Map<E, ? extends Collection<Dot>> dots, CausalContext context,
			Set<String> prunedReplicas) {
		Set<String> pruned = Replicas.copyOf(prunedReplicas);
		for (String replica : pruned) {
			if (context.mentions(replica)) {
				throw new IllegalArgumentException("The context holds dots of pruned replica " + replica);
			}
		}
		Set<Dot> seen = new HashSet<>();
		Map<E, Set<Dot>> entries = new HashMap<>();
		dots.forEach((element, elementDots) -> {
			Objects.requireNonNull(element, "element");
			if (elementDots.isEmpty()) {
				throw new IllegalArgumentException("Element " + element + " has no dots");
			}
			for (Dot dot : elementDots) {
				if (!context.contains(dot) || !seen.add(dot)) {
					throw new IllegalArgumentException("Dot " + dot + " of " + element
							+ " is not in the context or belongs to two elements");
				}
			}
			entries.put(element, Collections.unmodifiableSet(new HashSet<>(elementDots)));
		});
		return create(entries, context, pruned);
	}

	private static <E> ORSet<E> create(Map<E, Set<Dot>> entries, CausalContext context, Set<String> pruned) {
		if (entries.isEmpty() && context.isEmpty() && pruned.isEmpty()) {
			return empty();
		}
		return new ORSet<>(Collections.unmodifiableMap(entries), context, pruned);
	}

	/**
	 * Adds an element (again, if present: the new add replaces the element's previous dots).
	 * @param replica the replica adding (this state must be its own)
	 * @param element the element
	 * @return the new state and a delta holding the element
	 * @throws IllegalStateException if {@code replica} was pruned
	 */
	public Mutation<ORSet<E>> add(String replica, E element) {
		Replicas.check(replica);
		Objects.requireNonNull(element, "element");
		Replicas.checkNotPruned(this.pruned, replica);
		Dot dot = this.context.nextDot(replica);
		Set<Dot> previous = this.entries.getOrDefault(element, Set.of());
		Map<E, Set<Dot>> entries = new HashMap<>(this.entries);
		entries.put(element, Set.of(dot));
		List<Dot> replaced = new ArrayList<>(previous);
		replaced.add(dot);
		return new Mutation<>(create(entries, this.context.add(dot), this.pruned),
				create(Map.of(element, Set.of(dot)), CausalContext.of(replaced), Set.of()));
	}

	/**
	 * Removes an element: the adds of it this replica has seen are undone everywhere; adds it has not seen survive.
	 * @param element the element
	 * @return the new state and a delta holding the removed dots (empty if the element was absent)
	 */
	public Mutation<ORSet<E>> remove(E element) {
		Set<Dot> previous = this.entries.get(element);
		if (previous == null) {
			return new Mutation<>(this, empty());
		}
		Map<E, Set<Dot>> entries = new HashMap<>(this.entries);
		entries.remove(element);
		return new Mutation<>(create(entries, this.context, this.pruned),
				create(Map.of(), CausalContext.of(previous), Set.of()));
	}

	/**
	 * Whether the set holds {@code element}.
	 * @param element the element
	 * @return whether it is present
	 */
	public boolean contains(Object element) {
		return this.entries.containsKey(element);
	}

	/**
	 * The elements.
	 * @return an unmodifiable set
	 */
	public Set<E> elements() {
		return this.entries.keySet();
	}

	/**
	 * The number of elements.
	 * @return the size
	 */
	public int size() {
		return this.entries.size();
	}

	/**
	 * Whether there are no elements (the set may still carry a context).
	 * @return whether the set is empty
	 */
	public boolean isEmpty() {
		return this.entries.isEmpty();
	}

	/**
	 * Each element's dots, for serializers.
	 * @return an unmodifiable map
	 */
	public Map<E, Set<Dot>> dots() {
		return this.entries;
	}

	/**
	 * The dots this set has seen, for serializers.
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
	public ORSet<E> merge(ORSet<E> other) {
		if (this == other || other == EMPTY) {
			return this;
		}
		if (this == EMPTY) {
			return other;
		}
		Set<String> pruned = Replicas.union(this.pruned, other.pruned);
		ORSet<E> a = cleaned(pruned);
		ORSet<E> b = other.cleaned(pruned);
		Map<E, Set<Dot>> entries = new HashMap<>();
		a.entries.forEach((element, dots) -> {
			Set<Dot> kept = join(dots, a.context, b.entries.get(element), b.context);
			if (!kept.isEmpty()) {
				entries.put(element, kept);
			}
		});
		b.entries.forEach((element, dots) -> {
			if (!a.entries.containsKey(element)) {
				Set<Dot> kept = join(dots, b.context, null, a.context);
				if (!kept.isEmpty()) {
					entries.put(element, kept);
				}
			}
		});
		return create(entries, a.context.merge(b.context), pruned);
	}

	/** The dots of one element that survive a merge; {@code theirs} is {@code null} if they do not hold it. */
	private static Set<Dot> join(Set<Dot> mine, CausalContext myContext, Set<Dot> theirs,
			CausalContext theirContext) {
		Set<Dot> kept = new HashSet<>();
		for (Dot dot : mine) {
			if ((theirs != null && theirs.contains(dot)) || !theirContext.contains(dot)) {
				kept.add(dot);
			}
		}
		if (theirs != null) {
			for (Dot dot : theirs) {
				if (!mine.contains(dot) && !myContext.contains(dot)) {
					kept.add(dot);
				}
			}
		}
		return kept.equals(mine) ? mine : Collections.unmodifiableSet(kept);
	}

	/** This set with {@code pruned} as its markers, without the dots of any marked replica. */
	private ORSet<E> cleaned(Set<String> pruned) {
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
			return new ORSet<>(this.entries, this.context, pruned);
		}
		Map<E, Set<Dot>> entries = new HashMap<>();
		this.entries.forEach((element, dots) -> {
			Set<Dot> kept = new HashSet<>();
			for (Dot dot : dots) {
				if (!fresh.contains(dot.replica())) {
					kept.add(dot);
				}
			}
			if (!kept.isEmpty()) {
				entries.put(element, (kept.size() == dots.size()) ? dots : Collections.unmodifiableSet(kept));
			}
		});
		return create(entries, this.context.without(fresh), pruned);
	}

	@Override
	public boolean needsPruningFrom(String replica) {
		return this.context.mentions(replica);
	}

	/**
	 * {@inheritDoc}
	 * <p>Each element the removed replica had added gets, in place of the removed replica's dots, one new dot of
	 * {@code collapseInto} (as if the pruner had added it again) and keeps its other dots; elements are numbered in
	 * the order of their hash codes (then their text), so equal sets prune to equal sets. The delta holds those
	 * elements with their new dots, so a replica that merges it keeps them even if it had them only through the
	 * removed replica's adds.
	 */
	@Override
	public Mutation<ORSet<E>> prune(String removedReplica, String collapseInto) {
		Replicas.checkPruning(this.pruned, removedReplica, collapseInto);
		if (!needsPruningFrom(removedReplica)) {
			return new Mutation<>(this, empty());
		}
		long next = this.context.max(collapseInto);
		Map<E, Set<Dot>> entries = new HashMap<>();
		Map<E, Set<Dot>> readded = new HashMap<>();
		List<Dot> newDots = new ArrayList<>();
		for (E element : Replicas.ordered(this.entries.keySet())) {
			Set<Dot> dots = this.entries.get(element);
			Set<Dot> kept = new HashSet<>();
			for (Dot dot : dots) {
				if (!dot.replica().equals(removedReplica)) {
					kept.add(dot);
				}
			}
			if (kept.size() == dots.size()) {
				entries.put(element, dots);
				continue;
			}
			next = Math.addExact(next, 1);
			Dot dot = new Dot(collapseInto, next);
			newDots.add(dot);
			kept.add(dot);
			entries.put(element, Collections.unmodifiableSet(kept));
			readded.put(element, Set.of(dot));
		}
		CausalContext context = this.context.without(Set.of(removedReplica)).addAll(newDots);
		return new Mutation<>(create(entries, context, Replicas.with(this.pruned, removedReplica)),
				create(readded, CausalContext.of(newDots), Set.of(removedReplica)));
	}

	/**
	 * Cuts this set into chunks holding at most {@code maxDots} dots each (an element with dots in several chunks
	 * appears in each), whose merge is this set; each chunk is below this set, so it can be merged anywhere on its
	 * own, in any order. Chunks are cut by ranges of each replica's counters, and each carries the part of the
	 * context in its ranges, so the removals are spread over the chunks too. Linear in the size of the set.
	 * @param maxDots the most dots per chunk, at least 1
	 * @return the chunks (just this set if it holds at most {@code maxDots} dots)
	 */
	public List<ORSet<E>> split(int maxDots) {
		if (maxDots < 1) {
			throw new IllegalArgumentException("A chunk holds at least one dot, got " + maxDots);
		}
		List<Dot> live = new ArrayList<>();
		this.entries.values().forEach(live::addAll);
		if (live.size() <= maxDots) {
			return List.of(this);
		}
		Chunks chunks = new Chunks(this.context, live, maxDots);
		List<Map<E, Set<Dot>>> parts = new ArrayList<>();
		for (int i = 0; i < chunks.count(); i++) {
			parts.add(new HashMap<>());
		}
		this.entries.forEach((element, dots) -> {
			for (Dot dot : dots) {
				parts.get(chunks.windowOf(dot)).computeIfAbsent(element, (e) -> new HashSet<>()).add(dot);
			}
		});
		List<ORSet<E>> result = new ArrayList<>();
		for (int i = 0; i < chunks.count(); i++) {
			Map<E, Set<Dot>> part = parts.get(i);
			part.replaceAll((element, dots) -> Collections.unmodifiableSet(dots));
			result.add(create(part, this.context.restrict(chunks.window(i)), this.pruned));
		}
		return Collections.unmodifiableList(result);
	}

	@Override
	public boolean equals(Object other) {
		return (this == other) || (other instanceof ORSet<?> that) && this.entries.equals(that.entries)
				&& this.context.equals(that.context) && this.pruned.equals(that.pruned);
	}

	@Override
	public int hashCode() {
		return (this.entries.hashCode() * 31 + this.context.hashCode()) * 31 + this.pruned.hashCode();
	}

	@Override
	public String toString() {
		StringBuilder text = new StringBuilder("ORSet{elements=").append(Replicas.sorted(this.entries.keySet()))
			.append(", dots={");
		String separator = "";
		for (E element : Replicas.sorted(this.entries.keySet())) {
			text.append(separator).append(element).append('=').append(Replicas.sorted(this.entries.get(element)));
			separator = ", ";
		}
		text.append("}, context=").append(this.context);
		if (!this.pruned.isEmpty()) {
			text.append(", pruned=").append(Replicas.sorted(this.pruned));
		}
		return text.append('}').toString();
	}

}
