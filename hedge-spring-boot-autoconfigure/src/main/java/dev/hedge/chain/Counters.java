package dev.hedge.chain;

import java.util.concurrent.atomic.LongAdder;

/** The counts behind {@link ChainStats}. Thread-safe, lock-free. */
final class Counters {

	final LongAdder writes = new LongAdder();

	final LongAdder cleanReads = new LongAdder();

	final LongAdder dirtyReads = new LongAdder();

	final LongAdder localReads = new LongAdder();

	final LongAdder forwardedReads = new LongAdder();

	final LongAdder versionQueries = new LongAdder();

	final LongAdder refusals = new LongAdder();

	final LongAdder reconfigurations = new LongAdder();

	final LongAdder catchUpKeys = new LongAdder();

	ChainStats snapshot() {
		return new ChainStats(this.writes.sum(), this.cleanReads.sum(), this.dirtyReads.sum(), this.localReads.sum(),
				this.forwardedReads.sum(), this.versionQueries.sum(), this.refusals.sum(),
				this.reconfigurations.sum(), this.catchUpKeys.sum());
	}

}
