package dev.hedge.chaos.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import dev.hedge.chaos.history.Op;

/**
 * Wing &amp; Gong's linearizability search with Lowe's memoisation, as in porcupine, over the operations of one
 * partition. The calls and returns form one doubly linked list sorted by time (calls before returns at equal times,
 * so touching operations count as concurrent; an operation of unknown outcome returns at +&infin;). The search walks
 * the list with an explicit stack: at a call it tries the model's step and, when legal and the pair (set of
 * linearized operations, state) is new, lifts the call and its return out of the list; at a return whose call is not
 * yet linearized it backtracks. An empty list means linearizable; a return with an empty stack means not.
 *
 * <p>Not thread-safe: one instance runs one search, on the calling thread.
 *
 * @param <S> the model's state type
 */
final class LinearizationSearch<S> {

	private static final int CLOCK_CHECK_MASK = 1023;

	private final Model<S> model;

	private final List<Op> ops;

	private final Entry head;

	LinearizationSearch(Model<S> model, List<Op> ops) {
		this.model = model;
		this.ops = ops;
		this.head = link(ops);
	}

	/**
	 * Runs the search until it decides or {@code deadlineNanos} (a {@link System#nanoTime()} reading) passes.
	 * @param deadlineNanos when to give up
	 * @return the outcome
	 */
	Outcome<S> run(long deadlineNanos) {
		long[] linearized = new long[(this.ops.size() + 63) >>> 6];
		Set<CacheKey> cache = new HashSet<>();
		List<Frame<S>> stack = new ArrayList<>();
		S state = this.model.init();
		Stuck<S> deepest = null;
		long steps = 0;
		Entry entry = this.head.next;
		while (this.head.next != null) {
			if ((steps++ & CLOCK_CHECK_MASK) == 0 && System.nanoTime() - deadlineNanos >= 0) {
				return new Outcome<>(Verdict.UNKNOWN, steps, cache.size(), deepest);
			}
			if (entry.call) {
				Optional<S> next = this.model.step(state, this.ops.get(entry.id));
				if (next.isPresent() && cache.add(new CacheKey(with(linearized, entry.id), next.get()))) {
					stack.add(new Frame<>(entry, state));
					state = next.get();
					set(linearized, entry.id);
					entry.lift();
					entry = this.head.next;
				}
				else {
					entry = entry.next;
				}
			}
			else {
				if (deepest == null || stack.size() > deepest.linearized()) {
					deepest = new Stuck<>(stack.size(), this.ops.get(entry.id), state);
				}
				if (stack.isEmpty()) {
					return new Outcome<>(Verdict.ILLEGAL, steps, cache.size(), deepest);
				}
				Frame<S> top = stack.remove(stack.size() - 1);
				state = top.state();
				clear(linearized, top.entry().id);
				top.entry().unlift();
				entry = top.entry().next;
			}
		}
		return new Outcome<>(Verdict.LINEARIZABLE, steps, cache.size(), deepest);
	}

	private static Entry link(List<Op> ops) {
		List<Entry> entries = new ArrayList<>(ops.size() * 2);
		for (int id = 0; id < ops.size(); id++) {
			Op op = ops.get(id);
			long returnNanos = op.outcomeUnknown() ? Long.MAX_VALUE : op.returnNanos();
			Entry call = new Entry(id, true, op.invokeNanos());
			call.match = new Entry(id, false, returnNanos);
			entries.add(call);
			entries.add(call.match);
		}
		entries.sort(Comparator.comparingLong((Entry entry) -> entry.time)
			.thenComparing((entry) -> !entry.call)
			.thenComparingInt((entry) -> entry.id));
		Entry head = new Entry(-1, false, Long.MIN_VALUE);
		Entry last = head;
		for (Entry entry : entries) {
			last.next = entry;
			entry.prev = last;
			last = entry;
		}
		return head;
	}

	private static long[] with(long[] bits, int id) {
		long[] copy = bits.clone();
		set(copy, id);
		return copy;
	}

	private static void set(long[] bits, int id) {
		bits[id >>> 6] |= 1L << id;
	}

	private static void clear(long[] bits, int id) {
		bits[id >>> 6] &= ~(1L << id);
	}

	/** How a search ended. */
	enum Verdict {

		LINEARIZABLE, ILLEGAL, UNKNOWN

	}

	/**
	 * The result of one search.
	 * @param verdict the verdict
	 * @param steps loop iterations spent
	 * @param cacheSize memoised (linearized set, state) pairs
	 * @param deepest where the longest partial linearization got stuck, {@code null} if it never did
	 * @param <S> the state type
	 */
	record Outcome<S>(Verdict verdict, long steps, int cacheSize, Stuck<S> deepest) {

	}

	/**
	 * The longest partial linearization found: {@code linearized} operations, after which {@code op} (whose return
	 * was reached) could not be linearized in {@code state}.
	 * @param linearized how many operations were linearized
	 * @param op the operation that could not be placed
	 * @param state the state after the linearized operations
	 * @param <S> the state type
	 */
	record Stuck<S>(int linearized, Op op, S state) {

	}

	private record Frame<S>(Entry entry, S state) {

	}

	/** A node of the call/return list; a call knows its return ({@code match}). */
	private static final class Entry {

		private final int id;

		private final boolean call;

		private final long time;

		private Entry match;

		private Entry prev;

		private Entry next;

		Entry(int id, boolean call, long time) {
			this.id = id;
			this.call = call;
			this.time = time;
		}

		/** Removes this call and its return from the list; they keep their links for {@link #unlift()}. */
		void lift() {
			this.prev.next = this.next;
			this.next.prev = this.prev;
			Entry ret = this.match;
			ret.prev.next = ret.next;
			if (ret.next != null) {
				ret.next.prev = ret.prev;
			}
		}

		/** Puts this call and its return back, undoing the most recent {@link #lift()} (LIFO order). */
		void unlift() {
			Entry ret = this.match;
			ret.prev.next = ret;
			if (ret.next != null) {
				ret.next.prev = ret;
			}
			this.prev.next = this;
			this.next.prev = this;
		}

	}

	/** A memoised (linearized set, state) pair. */
	private static final class CacheKey {

		private final long[] bits;

		private final Object state;

		private final int hash;

		CacheKey(long[] bits, Object state) {
			this.bits = bits;
			this.state = state;
			this.hash = 31 * Arrays.hashCode(bits) + ((state != null) ? state.hashCode() : 0);
		}

		@Override
		public boolean equals(Object other) {
			if (this == other) {
				return true;
			}
			if (!(other instanceof CacheKey that)) {
				return false;
			}
			return this.hash == that.hash && Arrays.equals(this.bits, that.bits)
					&& Objects.equals(this.state, that.state);
		}

		@Override
		public int hashCode() {
			return this.hash;
		}

	}

}
