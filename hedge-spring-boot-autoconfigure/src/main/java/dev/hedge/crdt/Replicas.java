package dev.hedge.crdt;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks of replica ids and small helpers shared by the types. */
final class Replicas {

	private Replicas() {
	}

	static String check(String replica) {
		if (replica == null || replica.isEmpty()) {
			throw new IllegalArgumentException("A replica id must be a non-empty string");
		}
		return replica;
	}

	static void checkNotPruned(Set<String> pruned, String replica) {
		if (pruned.contains(replica)) {
			throw new IllegalStateException("Replica " + replica + " was removed and pruned from this value; a "
					+ "restarted process must use a new replica id");
		}
	}

	static void checkPruning(Set<String> pruned, String removedReplica, String collapseInto) {
		check(removedReplica);
		check(collapseInto);
		if (removedReplica.equals(collapseInto)) {
			throw new IllegalArgumentException("Cannot prune " + removedReplica + " into itself");
		}
		checkNotPruned(pruned, collapseInto);
	}

	static Set<String> union(Set<String> a, Set<String> b) {
		if (b.isEmpty() || a.containsAll(b)) {
			return a;
		}
		if (a.isEmpty() || b.containsAll(a)) {
			return b;
		}
		Set<String> union = new HashSet<>(a);
		union.addAll(b);
		return Collections.unmodifiableSet(union);
	}

	static Set<String> with(Set<String> set, String element) {
		Set<String> copy = new HashSet<>(set);
		copy.add(element);
		return Collections.unmodifiableSet(copy);
	}

	static Set<String> copyOf(Set<String> replicas) {
		Set<String> copy = new HashSet<>();
		for (String replica : replicas) {
			copy.add(check(replica));
		}
		return copy.isEmpty() ? Set.of() : Collections.unmodifiableSet(copy);
	}

	/**
	 * The elements in an order that depends only on their content (hash code, then text), not on how the collection
	 * was built, so that operations that number elements one by one give equal results on equal values.
	 */
	static <E> List<E> ordered(Collection<E> elements) {
		List<E> list = new ArrayList<>(elements);
		list.sort(Comparator.comparingInt(Object::hashCode).thenComparing(String::valueOf));
		return list;
	}

	/** The elements ordered by their text, for a stable {@code toString}. */
	static <E> List<E> sorted(Collection<E> elements) {
		List<E> list = new ArrayList<>(elements);
		list.sort(Comparator.comparing(String::valueOf));
		return list;
	}

}
