package dev.hedge.replicator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.hedge.crdt.CausalContext;
import dev.hedge.crdt.Dot;
import dev.hedge.crdt.GSet;
import dev.hedge.crdt.ORMap;
import dev.hedge.crdt.ORSet;
import dev.hedge.crdt.ReplicatedData;

/**
 * How anti-entropy cuts a value into parts it can compare one by one, so that a large set or map that differs in a
 * few elements is repaired by shipping those elements only. Every part is identified by bytes and has a
 * {@link Hashes hash}; the value restricted to some parts ({@link #select}) is below the value, so it merges anywhere,
 * and the value restricted to all its parts is the value.
 * <ul>
 * <li>counters and registers: one part, the whole value (id empty);</li>
 * <li>grow-only set: one part per element;</li>
 * <li>set ({@link ORSet}) and map ({@link ORMap}): one part per element or key (with its dots, or its
 * contributions), plus the removals part (id {@code ~}): the dots seen but held by no element or key, and the pruned
 * replicas.</li>
 * </ul>
 * Stateless and thread-safe.
 */
final class Parts {

	static final byte[] WHOLE = new byte[0];

	static final byte[] REMOVALS = { '~' };

	private Parts() {
	}

	/** Receives the parts of a value. */
	@FunctionalInterface
	interface Sink {

		void part(byte[] id, long hash);

	}

	@SuppressWarnings("unchecked")
	static void forEach(DataType<?> type, ReplicatedData<?> value, Sink sink) {
		switch (type.kind()) {
			case G_SET -> {
				for (Object element : ((GSet<Object>) value).elements()) {
					sink.part(type.scalar().partId(element), Hashes.scalar(element));
				}
			}
			case OR_SET -> {
				ORSet<Object> set = (ORSet<Object>) value;
				set.dots().forEach((element, dots) -> sink.part(type.scalar().partId(element),
						Hashes.orSetElement(element, dots)));
				sink.part(REMOVALS, Hashes.removals(set.context(), set.prunedReplicas()));
			}
			case OR_MAP -> {
				ORMap<Object, ?> map = (ORMap<Object, ?>) value;
				map.contributions().forEach((key, byDot) -> sink.part(type.scalar().partId(key),
						Hashes.mapKey(key, byDot)));
				sink.part(REMOVALS, Hashes.removals(map.context(), map.prunedReplicas()));
			}
			default -> sink.part(WHOLE, Hashes.value(value));
		}
	}

	/**
	 * The value restricted to the given parts (ids of parts it does not hold are ignored).
	 * @return the restricted value, or null if it holds none of the parts
	 */
	@SuppressWarnings("unchecked")
	static ReplicatedData<?> select(DataType<?> type, ReplicatedData<?> value, Collection<byte[]> ids) {
		switch (type.kind()) {
			case G_SET -> {
				GSet<Object> set = (GSet<Object>) value;
				List<Object> elements = new ArrayList<>();
				for (byte[] id : ids) {
					Object element = type.scalar().fromPartId(id);
					if (element != null && set.contains(element)) {
						elements.add(element);
					}
				}
				return elements.isEmpty() ? null : GSet.of(elements);
			}
			case OR_SET -> {
				ORSet<Object> set = (ORSet<Object>) value;
				Map<Object, Set<Dot>> selected = new HashMap<>();
				List<Dot> dots = new ArrayList<>();
				boolean removals = false;
				for (byte[] id : ids) {
					if (Arrays.equals(id, REMOVALS)) {
						removals = true;
						continue;
					}
					Object element = type.scalar().fromPartId(id);
					Set<Dot> elementDots = (element != null) ? set.dots().get(element) : null;
					if (elementDots != null) {
						selected.put(element, elementDots);
						dots.addAll(elementDots);
					}
				}
				if (selected.isEmpty() && !removals) {
					return null;
				}
				CausalContext context = removals ? set.context() : contextOf(dots);
				if (removals && selected.size() < set.size()) {
					context = union(contextOf(dots), removedDots(set.context(), set.dots().values()));
				}
				return ORSet.of(selected, context, set.prunedReplicas());
			}
			case OR_MAP -> {
				return selectKeys(type.scalar(), (ORMap<Object, ?>) value, ids);
			}
			default -> {
				return value;
			}
		}
	}

	/** Adds this member's values restricted to the given parts, per name, to a chunker. */
	static void select(LocalState state, Map<String, List<byte[]>> ids, Chunker into) {
		ids.forEach((name, parts) -> {
			LocalState.Entry entry = state.entry(name);
			ReplicatedData<?> value = (entry != null) ? entry.value : null;
			ReplicatedData<?> selected = (value != null) ? select(entry.type, value, parts) : null;
			if (selected != null) {
				into.add(name, entry.type, selected);
			}
		});
		into.finish();
	}

	@SuppressWarnings("unchecked")
	private static <K, V extends ReplicatedData<V>> ReplicatedData<?> selectKeys(Scalar scalar, ORMap<K, V> map,
			Collection<byte[]> ids) {
		Set<K> keys = new HashSet<>();
		boolean removals = false;
		for (byte[] id : ids) {
			if (Arrays.equals(id, REMOVALS)) {
				removals = true;
				continue;
			}
			K key = (K) scalar.fromPartId(id);
			if (key != null && map.containsKey(key)) {
				keys.add(key);
			}
		}
		if (keys.isEmpty() && !removals) {
			return null;
		}
		if (removals && keys.size() == map.size()) {
			return map;
		}
		ORMap<K, V> sub = map.subMap(keys);
		if (!removals) {
			return sub;
		}
		List<Set<Dot>> live = new ArrayList<>();
		map.contributions().values().forEach((byDot) -> live.add(byDot.keySet()));
		return sub.merge(ORMap.of(Map.of(), removedDots(map.context(), live), map.prunedReplicas()));
	}

	/** A context holding exactly the given dots. */
	static CausalContext contextOf(Collection<Dot> dots) {
		Map<String, List<CausalContext.Range>> ranges = new HashMap<>();
		for (Dot dot : dots) {
			ranges.computeIfAbsent(dot.replica(), (r) -> new ArrayList<>())
				.add(new CausalContext.Range(dot.counter(), dot.counter()));
		}
		return CausalContext.of(ranges);
	}

	private static CausalContext union(CausalContext a, CausalContext b) {
		Map<String, List<CausalContext.Range>> ranges = new HashMap<>();
		a.ranges().forEach((replica, list) -> ranges.computeIfAbsent(replica, (r) -> new ArrayList<>()).addAll(list));
		b.ranges().forEach((replica, list) -> ranges.computeIfAbsent(replica, (r) -> new ArrayList<>()).addAll(list));
		return CausalContext.of(ranges);
	}

	/** The dots of {@code context} that no live entry holds: what the value has seen removed. */
	static CausalContext removedDots(CausalContext context, Collection<? extends Collection<Dot>> live) {
		Map<String, List<Long>> held = new HashMap<>();
		for (Collection<Dot> dots : live) {
			for (Dot dot : dots) {
				held.computeIfAbsent(dot.replica(), (r) -> new ArrayList<>()).add(dot.counter());
			}
		}
		Map<String, List<CausalContext.Range>> removed = new HashMap<>();
		context.ranges().forEach((replica, ranges) -> {
			List<Long> counters = held.getOrDefault(replica, List.of());
			long[] sorted = counters.stream().mapToLong(Long::longValue).sorted().toArray();
			List<CausalContext.Range> out = new ArrayList<>();
			int next = 0;
			for (CausalContext.Range range : ranges) {
				long from = range.first();
				while (next < sorted.length && sorted[next] < from) {
					next++;
				}
				while (next < sorted.length && sorted[next] <= range.last()) {
					if (sorted[next] > from) {
						out.add(new CausalContext.Range(from, sorted[next] - 1));
					}
					from = sorted[next] + 1;
					next++;
				}
				if (from <= range.last()) {
					out.add(new CausalContext.Range(from, range.last()));
				}
			}
			if (!out.isEmpty()) {
				removed.put(replica, out);
			}
		});
		return CausalContext.of(removed);
	}

}
