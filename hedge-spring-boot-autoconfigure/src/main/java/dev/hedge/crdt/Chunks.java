package dev.hedge.crdt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How {@code split} cuts a causal value: into windows of dots, each window holding, per replica, one range of
 * counters, so that each replica's counters {@code 1..Long.MAX_VALUE} are covered by exactly one window each and no
 * window holds more than the given number of live dots. A chunk is the value restricted to one window (its entries'
 * dots in the window, its context intersected with the window): it is below the whole value, and the chunks join to
 * the whole, because a dot of one window is never in another window's context.
 */
final class Chunks {

	private final List<Map<String, long[]>> windows = new ArrayList<>();

	/** Per replica: the first counter of each of its ranges, and the window of that range. */
	private final Map<String, long[]> starts = new HashMap<>();

	private final Map<String, int[]> windowOfStart = new HashMap<>();

	Chunks(CausalContext context, Collection<Dot> liveDots, int maxDots) {
		Map<String, List<Long>> counters = new HashMap<>();
		for (String replica : context.replicas()) {
			counters.put(replica, new ArrayList<>());
		}
		for (Dot dot : liveDots) {
			counters.computeIfAbsent(dot.replica(), (replica) -> new ArrayList<>()).add(dot.counter());
		}
		Map<String, long[]> window = new HashMap<>();
		int count = 0;
		for (String replica : Replicas.sorted(counters.keySet())) {
			List<Long> sorted = counters.get(replica);
			sorted.sort(null);
			List<Long> firsts = new ArrayList<>();
			List<Integer> indexes = new ArrayList<>();
			long low = 1;
			for (long counter : sorted) {
				if (count == maxDots) {
					if (low < counter) {
						window.put(replica, new long[] { low, counter - 1 });
						firsts.add(low);
						indexes.add(this.windows.size());
					}
					this.windows.add(window);
					window = new HashMap<>();
					count = 0;
					low = counter;
				}
				count++;
			}
			window.put(replica, new long[] { low, Long.MAX_VALUE });
			firsts.add(low);
			indexes.add(this.windows.size());
			this.starts.put(replica, firsts.stream().mapToLong(Long::longValue).toArray());
			this.windowOfStart.put(replica, indexes.stream().mapToInt(Integer::intValue).toArray());
		}
		if (!window.isEmpty()) {
			this.windows.add(window);
		}
	}

	int count() {
		return this.windows.size();
	}

	Map<String, long[]> window(int index) {
		return this.windows.get(index);
	}

	/** The window holding {@code dot}; its replica must be one the chunks were built for. */
	int windowOf(Dot dot) {
		long[] firsts = this.starts.get(dot.replica());
		int position = Arrays.binarySearch(firsts, dot.counter());
		if (position < 0) {
			position = -position - 2;
		}
		return this.windowOfStart.get(dot.replica())[position];
	}

}
