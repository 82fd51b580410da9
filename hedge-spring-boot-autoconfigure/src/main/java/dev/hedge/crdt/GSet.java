package dev.hedge.crdt;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A grow-only set: elements are added, never removed; merge is the union. It keeps no per-replica state, so adding
 * needs no replica id and there is nothing to prune.
 *
 * <p>Elements must be immutable, with {@code equals} and {@code hashCode} by content, and not {@code null}.
 *
 * <p>Immutable and thread-safe. Adding copies the set (linear in its size); an add's delta holds the one element.
 * {@link #split(int)} cuts a large set into chunks that merge back to it.
 *
 * @param <E> the element type
 */
public final class GSet<E> implements ReplicatedData<GSet<E>> {

	private static final GSet<?> EMPTY = new GSet<>(Set.of());

	private final Set<E> elements;

	private GSet(Set<E> elements) {
		this.elements = elements;
	}

	/**
	 * The empty set.
	 * @param <E> the element type
	 * @return the empty set
	 */
	@SuppressWarnings("unchecked")
	public static <E> GSet<E> empty() {
		return (GSet<E>) EMPTY;
	}

	/**
	 * A set of the given elements (to rebuild a set read through {@link #elements()}).
	 * @param <E> the element type
	 * @param elements the elements, none {@code null}
	 * @return the set
	 */
	public static <E> GSet<E> of(Collection<? extends E> elements) {
		Set<E> copy = new HashSet<>();
		for (E element : elements) {
			copy.add(Objects.requireNonNull(element, "element"));
		}
		return create(copy);
	}

	private static <E> GSet<E> create(Set<E> elements) {
		return elements.isEmpty() ? empty() : new GSet<>(Collections.unmodifiableSet(elements));
	}

	/**
	 * Adds an element.
	 * @param element the element
	 * @return the new state and a delta holding the element (empty if it was already there)
	 */
	public Mutation<GSet<E>> add(E element) {
		Objects.requireNonNull(element, "element");
		if (this.elements.contains(element)) {
			return new Mutation<>(this, empty());
		}
		Set<E> elements = new HashSet<>(this.elements);
		elements.add(element);
		return new Mutation<>(create(elements), create(Set.of(element)));
	}

	/**
	 * Whether the set holds {@code element}.
	 * @param element the element
	 * @return whether it was added
	 */
	public boolean contains(Object element) {
		return this.elements.contains(element);
	}

	/**
	 * The elements.
	 * @return an unmodifiable set
	 */
	public Set<E> elements() {
		return this.elements;
	}

	/**
	 * The number of elements.
	 * @return the size
	 */
	public int size() {
		return this.elements.size();
	}

	/**
	 * Whether there are no elements.
	 * @return whether the set is empty
	 */
	public boolean isEmpty() {
		return this.elements.isEmpty();
	}

	@Override
	public GSet<E> merge(GSet<E> other) {
		if (this.elements.size() >= other.elements.size()) {
			return this.elements.containsAll(other.elements) ? this : union(this, other);
		}
		return other.elements.containsAll(this.elements) ? other : union(other, this);
	}

	private static <E> GSet<E> union(GSet<E> larger, GSet<E> smaller) {
		Set<E> elements = new HashSet<>(larger.elements);
		elements.addAll(smaller.elements);
		return create(elements);
	}

	/**
	 * Cuts this set into disjoint sets of at most {@code maxElements} elements each whose merge is this set, so that
	 * a large set can be shipped in parts; each part can be merged anywhere on its own.
	 * @param maxElements the most elements per part, at least 1
	 * @return the parts (just this set if it is small enough)
	 */
	public List<GSet<E>> split(int maxElements) {
		if (maxElements < 1) {
			throw new IllegalArgumentException("A part holds at least one element, got " + maxElements);
		}
		if (this.elements.size() <= maxElements) {
			return List.of(this);
		}
		List<GSet<E>> parts = new ArrayList<>();
		Set<E> part = new HashSet<>();
		for (E element : this.elements) {
			part.add(element);
			if (part.size() == maxElements) {
				parts.add(create(part));
				part = new HashSet<>();
			}
		}
		if (!part.isEmpty()) {
			parts.add(create(part));
		}
		return Collections.unmodifiableList(parts);
	}

	@Override
	public boolean equals(Object other) {
		return (this == other) || (other instanceof GSet<?> that) && this.elements.equals(that.elements);
	}

	@Override
	public int hashCode() {
		return this.elements.hashCode();
	}

	@Override
	public String toString() {
		return "GSet" + Replicas.sorted(this.elements);
	}

}
