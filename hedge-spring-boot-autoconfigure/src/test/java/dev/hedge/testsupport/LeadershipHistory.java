package dev.hedge.testsupport;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.hedge.election.LeadershipEvent;
import dev.hedge.election.LeadershipListener;

/**
 * Records leadership belief intervals of many nodes on one monotonic clock and checks them: no two intervals of
 * different nodes overlap (0 ns tolerance), and epochs strictly increase in the order terms begin.
 */
public final class LeadershipHistory {

	private final List<Term> terms = new ArrayList<>();

	private final Map<String, Term> open = new HashMap<>();

	/**
	 * A listener that records the given node's terms here.
	 * @return the listener
	 */
	public LeadershipListener listener() {
		return new LeadershipListener() {

			@Override
			public void onGranted(LeadershipEvent event) {
				synchronized (LeadershipHistory.this) {
					Term term = new Term(event.nodeId(), event.epoch(), event.atNanos());
					LeadershipHistory.this.terms.add(term);
					LeadershipHistory.this.open.put(event.nodeId(), term);
					LeadershipHistory.this.notifyAll();
				}
			}

			@Override
			public void onRevoked(LeadershipEvent event) {
				synchronized (LeadershipHistory.this) {
					Term term = LeadershipHistory.this.open.remove(event.nodeId());
					if (term != null) {
						term.end = event.atNanos();
						term.reason = String.valueOf(event.reason());
					}
				}
			}

		};
	}

	/**
	 * Every term so far, in the order they began.
	 * @return a copy
	 */
	public synchronized List<Term> terms() {
		return new ArrayList<>(this.terms);
	}

	/**
	 * Terms that began after the given time.
	 * @param nanos the time
	 * @return the terms
	 */
	public synchronized List<Term> termsSince(long nanos) {
		return this.terms.stream().filter((t) -> t.start - nanos >= 0).toList();
	}

	/**
	 * Pairs of terms of different nodes whose intervals overlap. An open term counts as open until {@code now}.
	 * @param now the end assumed for open terms
	 * @return descriptions of the overlaps (empty when none)
	 */
	public synchronized List<String> overlaps(long now) {
		List<Term> sorted = new ArrayList<>(this.terms);
		sorted.sort(Comparator.comparingLong((Term t) -> t.start));
		List<String> overlaps = new ArrayList<>();
		Term widest = null;
		for (Term term : sorted) {
			long end = term.endOr(now);
			if (end - term.start <= 0) {
				continue;
			}
			if (widest != null && widest.endOr(now) - term.start > 0 && !widest.node.equals(term.node)) {
				overlaps.add(widest + " overlaps " + term);
			}
			if (widest == null || end - widest.endOr(now) > 0) {
				widest = term;
			}
		}
		return overlaps;
	}

	/**
	 * Epochs out of order: a term that began later with an epoch not above an earlier one.
	 * @return descriptions (empty when epochs strictly increase)
	 */
	public synchronized List<String> epochOrderViolations() {
		List<Term> sorted = new ArrayList<>(this.terms);
		sorted.sort(Comparator.comparingLong((Term t) -> t.start));
		List<String> violations = new ArrayList<>();
		for (int i = 1; i < sorted.size(); i++) {
			if (sorted.get(i).epoch <= sorted.get(i - 1).epoch) {
				violations.add(sorted.get(i - 1) + " then " + sorted.get(i));
			}
		}
		return violations;
	}

	/** One term: [start, end) of a node's belief. */
	public static final class Term {

		public final String node;

		public final long epoch;

		public final long start;

		volatile Long end;

		volatile String reason;

		Term(String node, long epoch, long start) {
			this.node = node;
			this.epoch = epoch;
			this.start = start;
		}

		long endOr(long now) {
			Long value = this.end;
			return (value != null) ? value : now;
		}

		/**
		 * When the belief ended.
		 * @return the end, or null while open
		 */
		public Long end() {
			return this.end;
		}

		/**
		 * Why it ended.
		 * @return the revoke reason, or null while open
		 */
		public String reason() {
			return this.reason;
		}

		@Override
		public String toString() {
			return this.node + "@" + this.epoch + "[" + this.start + ", " + this.end + " " + this.reason + "]";
		}

	}

}
