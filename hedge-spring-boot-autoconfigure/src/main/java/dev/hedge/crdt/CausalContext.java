package dev.hedge.crdt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The set of {@link Dot dots} a causal value has seen, kept compact: per replica, sorted disjoint ranges of
 * counters. A full state's context is usually one range {@code 1..n} per replica (a version vector); a delta's
 * context is a few loose dots (a dot cloud); both are the same representation, so merging a delta's context into a
 * state's is a plain union and needs no separate compaction step. The representation is canonical (adjacent and
 * overlapping ranges are joined), so equal sets of dots give equal contexts.
 *
 * <p>Immutable and thread-safe. Size is linear in the number of ranges, which is the number of replicas plus the
 * number of gaps (dots not seen, or seen only in a delta).
 */
public final class CausalContext {

	private static final long[] NONE = new long[0];

	private static final CausalContext EMPTY = new CausalContext(Map.of());

	/** Per replica: first0, last0, first1, last1, ...; sorted, disjoint, not adjacent, never empty. */
	private final Map<String, long[]> ranges;

	private CausalContext(Map<String, long[]> ranges) {
		this.ranges = ranges;
	}

	/**
	 * The context that has seen nothing.
	 * @return the empty context
	 */
	public static CausalContext empty() {
		return EMPTY;
	}

	/**
	 * A context holding the given ranges (in any order; overlapping and adjacent ranges are joined).
	 * @param ranges the counter ranges seen, per replica
	 * @return the context
	 */
	public static CausalContext of(Map<String, List<Range>> ranges) {
		Map<String, long[]> built = new HashMap<>();
		ranges.forEach((replica, list) -> {
			Replicas.check(replica);
			List<Range> sorted = new ArrayList<>(list);
			sorted.sort((a, b) -> Long.compare(a.first(), b.first()));
			long[] flat = new long[sorted.size() * 2];
			for (int i = 0; i < sorted.size(); i++) {
				flat[2 * i] = sorted.get(i).first();
				flat[2 * i + 1] = sorted.get(i).last();
			}
			long[] normal = union(flat, NONE);
			if (normal.length > 0) {
				built.put(replica, normal);
			}
		});
		return built.isEmpty() ? EMPTY : new CausalContext(built);
	}

	/** A context holding exactly {@code dots}. */
	static CausalContext of(Collection<Dot> dots) {
		return EMPTY.addAll(dots);
	}

	/**
	 * The ranges of counters seen, per replica, sorted by counter.
	 * @return a new unmodifiable map
	 */
	public Map<String, List<Range>> ranges() {
		Map<String, List<Range>> result = new HashMap<>();
		this.ranges.forEach((replica, flat) -> {
			List<Range> list = new ArrayList<>(flat.length / 2);
			for (int i = 0; i < flat.length; i += 2) {
				list.add(new Range(flat[i], flat[i + 1]));
			}
			result.put(replica, Collections.unmodifiableList(list));
		});
		return Collections.unmodifiableMap(result);
	}

	/**
	 * The replicas with at least one dot seen.
	 * @return an unmodifiable set
	 */
	public Set<String> replicas() {
		return Collections.unmodifiableSet(this.ranges.keySet());
	}

	/**
	 * Whether this context has seen {@code dot}. Logarithmic in the replica's number of ranges.
	 * @param dot the dot
	 * @return whether it was seen
	 */
	public boolean contains(Dot dot) {
		long[] flat = this.ranges.get(dot.replica());
		if (flat == null) {
			return false;
		}
		long counter = dot.counter();
		int low = 0;
		int high = flat.length / 2 - 1;
		while (low <= high) {
			int mid = (low + high) >>> 1;
			if (flat[2 * mid] <= counter) {
				if (counter <= flat[2 * mid + 1]) {
					return true;
				}
				low = mid + 1;
			}
			else {
				high = mid - 1;
			}
		}
		return false;
	}

	/**
	 * Whether any dot of {@code replica} was seen.
	 * @param replica the replica
	 * @return whether the replica appears in this context
	 */
	public boolean mentions(String replica) {
		return this.ranges.containsKey(replica);
	}

	/**
	 * The highest counter of {@code replica} seen.
	 * @param replica the replica
	 * @return the highest counter, 0 if none
	 */
	public long max(String replica) {
		long[] flat = this.ranges.get(replica);
		return (flat != null) ? flat[flat.length - 1] : 0;
	}

	/**
	 * Whether no dot was seen.
	 * @return whether this context is empty
	 */
	public boolean isEmpty() {
		return this.ranges.isEmpty();
	}

	/** The next dot of {@code replica}: one past the highest of its counters seen. */
	Dot nextDot(String replica) {
		return new Dot(replica, Math.addExact(max(replica), 1));
	}

	CausalContext merge(CausalContext other) {
		if (other.ranges.isEmpty() || this == other) {
			return this;
		}
		if (this.ranges.isEmpty()) {
			return other;
		}
		Map<String, long[]> merged = new HashMap<>(this.ranges);
		other.ranges.forEach((replica, flat) -> merged.merge(replica, flat, CausalContext::union));
		return new CausalContext(merged);
	}

	CausalContext add(Dot dot) {
		return merge(new CausalContext(Map.of(dot.replica(), new long[] { dot.counter(), dot.counter() })));
	}

	CausalContext addAll(Collection<Dot> dots) {
		if (dots.isEmpty()) {
			return this;
		}
		Map<String, List<Long>> counters = new HashMap<>();
		for (Dot dot : dots) {
			counters.computeIfAbsent(dot.replica(), (replica) -> new ArrayList<>()).add(dot.counter());
		}
		Map<String, long[]> added = new HashMap<>();
		counters.forEach((replica, list) -> {
			long[] flat = new long[list.size() * 2];
			Collections.sort(list);
			for (int i = 0; i < list.size(); i++) {
				flat[2 * i] = list.get(i);
				flat[2 * i + 1] = list.get(i);
			}
			added.put(replica, union(flat, NONE));
		});
		return merge(new CausalContext(added));
	}

	/** This context without any dot of the given replicas. */
	CausalContext without(Set<String> replicas) {
		if (Collections.disjoint(this.ranges.keySet(), replicas)) {
			return this;
		}
		Map<String, long[]> kept = new HashMap<>(this.ranges);
		kept.keySet().removeAll(replicas);
		return kept.isEmpty() ? EMPTY : new CausalContext(kept);
	}

	/**
	 * The dots of this context inside {@code window}: per replica, one inclusive counter range {@code {low, high}};
	 * replicas outside the window are dropped.
	 */
	CausalContext restrict(Map<String, long[]> window) {
		Map<String, long[]> kept = new HashMap<>();
		window.forEach((replica, bounds) -> {
			long[] flat = this.ranges.get(replica);
			if (flat == null) {
				return;
			}
			long[] out = new long[flat.length];
			int n = 0;
			for (int i = 0; i < flat.length; i += 2) {
				long first = Math.max(flat[i], bounds[0]);
				long last = Math.min(flat[i + 1], bounds[1]);
				if (first <= last) {
					out[n++] = first;
					out[n++] = last;
				}
			}
			if (n > 0) {
				kept.put(replica, Arrays.copyOf(out, n));
			}
		});
		return kept.isEmpty() ? EMPTY : new CausalContext(kept);
	}

	/** The union of two sorted range arrays (each may overlap itself), joining overlapping and adjacent ranges. */
	private static long[] union(long[] a, long[] b) {
		long[] out = new long[a.length + b.length];
		int n = 0;
		int i = 0;
		int j = 0;
		while (i < a.length || j < b.length) {
			long first;
			long last;
			if (j >= b.length || (i < a.length && a[i] <= b[j])) {
				first = a[i];
				last = a[i + 1];
				i += 2;
			}
			else {
				first = b[j];
				last = b[j + 1];
				j += 2;
			}
			if (n > 0 && first - 1 <= out[n - 1]) {
				out[n - 1] = Math.max(out[n - 1], last);
			}
			else {
				out[n++] = first;
				out[n++] = last;
			}
		}
		return (n == out.length) ? out : Arrays.copyOf(out, n);
	}

	@Override
	public boolean equals(Object other) {
		if (this == other) {
			return true;
		}
		if (!(other instanceof CausalContext that) || this.ranges.size() != that.ranges.size()) {
			return false;
		}
		for (Map.Entry<String, long[]> entry : this.ranges.entrySet()) {
			if (!Arrays.equals(entry.getValue(), that.ranges.get(entry.getKey()))) {
				return false;
			}
		}
		return true;
	}

	@Override
	public int hashCode() {
		int hash = 0;
		for (Map.Entry<String, long[]> entry : this.ranges.entrySet()) {
			hash += entry.getKey().hashCode() ^ Arrays.hashCode(entry.getValue());
		}
		return hash;
	}

	@Override
	public String toString() {
		StringBuilder text = new StringBuilder("{");
		for (String replica : Replicas.sorted(this.ranges.keySet())) {
			if (text.length() > 1) {
				text.append(", ");
			}
			long[] flat = this.ranges.get(replica);
			text.append(replica).append("=[");
			for (int i = 0; i < flat.length; i += 2) {
				text.append((i > 0) ? ", " : "").append(flat[i]);
				if (flat[i + 1] != flat[i]) {
					text.append("..").append(flat[i + 1]);
				}
			}
			text.append(']');
		}
		return text.append('}').toString();
	}

	/**
	 * An inclusive range of counters of one replica. Immutable and thread-safe.
	 *
	 * @param first the first counter, at least 1
	 * @param last the last counter, at least {@code first}
	 */
	public record Range(long first, long last) {

		/**
		 * Validates the range.
		 * @param first the first counter, at least 1
		 * @param last the last counter, at least {@code first}
		 */
		public Range {
			if (first < 1 || last < first) {
				throw new IllegalArgumentException("Not a range of counters: " + first + ".." + last);
			}
		}

		@Override
		public String toString() {
			return (this.first == this.last) ? String.valueOf(this.first) : this.first + ".." + this.last;
		}

	}

}
