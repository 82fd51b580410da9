package dev.hedge.sos;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The write order of a store (or of a segment held for a peer): a list of runs, each a range of consecutive records
 * in one place. A record appended to the place of the last run at the next index extends that run; anything else
 * starts a new one. Peer runs start empty and grow as the peer acknowledges. Not thread-safe: the owner guards it.
 */
final class SegmentIndex {

	private final List<Run> runs = new ArrayList<>();

	private long records;

	private long bytes;

	/** Appends one record stored at {@code index} of a local tier. */
	void appendLocal(Location location, long index, long length) {
		Run last = this.runs.isEmpty() ? null : this.runs.get(this.runs.size() - 1);
		if (last != null && last.location.equals(location) && last.start + last.count == index) {
			last.count++;
			last.bytes += length;
		}
		else {
			Run run = new Run(location, index);
			run.count = 1;
			run.bytes = length;
			this.runs.add(run);
		}
		this.records++;
		this.bytes += length;
	}

	/** Starts an empty run on a peer segment (records 0.. of that segment). */
	Run startPeer(Location location) {
		Run run = new Run(location, 0);
		this.runs.add(run);
		return run;
	}

	/** Records acknowledged by the peer of {@code run}. */
	void acknowledge(Run run, long count, long length) {
		run.count += count;
		run.bytes += length;
		this.records += count;
		this.bytes += length;
	}

	long records() {
		return this.records;
	}

	long bytes() {
		return this.bytes;
	}

	/** The non-empty runs with their first position in the write order. */
	List<RunView> snapshot() {
		List<RunView> views = new ArrayList<>();
		long first = 0;
		for (Run run : this.runs) {
			if (run.count > 0) {
				views.add(new RunView(run.location, run.start, run.count, first));
				first += run.count;
			}
		}
		return views;
	}

	/** Records and bytes per place: memory, disk, then each peer in order of first use. */
	Map<Location, TierStats> totals() {
		Map<Location, TierStats> totals = new LinkedHashMap<>();
		for (Run run : this.runs) {
			if (run.count == 0) {
				continue;
			}
			Location key = (run.location.kind() == Location.Kind.PEER) ? Location.peer(run.location.member(), 0)
					: run.location;
			totals.merge(key, new TierStats(run.count, run.bytes), TierStats::plus);
		}
		return totals;
	}

	/** Every peer a run was started on. */
	List<String> peers() {
		List<String> peers = new ArrayList<>();
		for (Run run : this.runs) {
			if (run.location.kind() == Location.Kind.PEER && !peers.contains(run.location.member())) {
				peers.add(run.location.member());
			}
		}
		return peers;
	}

	/** One run; mutable under the owner's guard. */
	static final class Run {

		final Location location;

		final long start;

		long count;

		long bytes;

		Run(Location location, long start) {
			this.location = location;
			this.start = start;
		}

	}

	/**
	 * An immutable view of a run.
	 *
	 * @param location where the records are
	 * @param start index of the first record in that place
	 * @param count how many
	 * @param first position of the first record in the write order
	 */
	record RunView(Location location, long start, long count, long first) {

	}

}
