package dev.hedge.chain;

/** How {@link HedgeChain#read(String, ReadMode)} answers. */
public enum ReadMode {

	/**
	 * The newest value whose write completed before the read started, or a newer one (linearizable): a serving member
	 * answers a clean key from its store and asks the read tail which version is committed for a dirty key. The
	 * default.
	 */
	LINEARIZABLE,

	/**
	 * The serving member's committed value without asking the tail: never a value that was not committed, but
	 * possibly an older one than a write that already completed (stale by at most the writes in flight on that key).
	 * One hop fewer for dirty keys.
	 */
	LOCAL

}
