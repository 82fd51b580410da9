package dev.hedge.store.spanner;

import java.util.List;

import com.google.cloud.spanner.Key;
import com.google.cloud.spanner.Struct;
import com.google.cloud.spanner.TransactionContext;

import dev.hedge.common.Failpoints;
import dev.hedge.election.Fence;
import dev.hedge.election.FencedException;

/** The fence check every leader-side Spanner write runs first, inside its own transaction. */
final class SpannerFence {

	private SpannerFence() {
	}

	/**
	 * Reads the lease row in the transaction and throws unless it still holds the fence's epoch and is not released.
	 * Reading it also makes any concurrent takeover conflict with this transaction.
	 */
	static void check(TransactionContext tx, String lockTable, Fence fence) {
		if (Failpoints.enabled(Failpoints.SKIP_FENCE_CHECK)) {
			return;
		}
		Struct lease = tx.readRow(lockTable, Key.of(fence.lockName()), List.of("epoch", "incarnation"));
		long current = (lease == null) ? 0 : lease.getLong("epoch");
		if (lease == null || !fence.admits(current, lease.isNull("incarnation") ? null : lease.getString("incarnation"))) {
			throw new FencedException(fence, current);
		}
	}

}
