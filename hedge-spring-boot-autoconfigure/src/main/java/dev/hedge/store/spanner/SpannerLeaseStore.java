package dev.hedge.store.spanner;

import java.time.Duration;

import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.Mutation;
import com.google.cloud.spanner.ResultSet;
import com.google.cloud.spanner.Statement;
import com.google.cloud.spanner.TransactionContext;
import com.google.cloud.spanner.Value;

import dev.hedge.election.AcquireResult;
import dev.hedge.election.LeaseClaim;
import dev.hedge.election.LeaseRecord;
import dev.hedge.election.LeaseStore;

/**
 * {@link LeaseStore} on Spanner. Expiry is judged with {@code CURRENT_TIMESTAMP()} against the heartbeat's commit
 * timestamp; takeover is one read-write transaction. Takeovers, renewals and releases run as a
 * {@link PromptTransaction}: re-run within milliseconds on ABORTED (every condition re-checked), not after the
 * client's back-off of 250 ms and more.
 */
final class SpannerLeaseStore implements LeaseStore {

	private static final long NO_HEARTBEAT_AGE = Long.MAX_VALUE / 4;

	private final DatabaseClient client;

	private final SpannerCalls calls;

	private final String table;

	private final String readSql;

	private final String renewSql;

	private final String releaseSql;

	private final String unconditionalRenewSql;

	SpannerLeaseStore(DatabaseClient client, SpannerCalls calls, String table) {
		this.client = client;
		this.calls = calls;
		this.table = table;
		this.readSql = """
				SELECT writer, incarnation, epoch, lease_ms,
				  TIMESTAMP_DIFF(CURRENT_TIMESTAMP(), heartbeat, MILLISECOND) AS age
				FROM %s WHERE name = @name""".formatted(table);
		this.renewSql = """
				UPDATE %s SET heartbeat = PENDING_COMMIT_TIMESTAMP()
				WHERE name = @name AND incarnation = @incarnation AND epoch = @epoch
				  AND TIMESTAMP_DIFF(CURRENT_TIMESTAMP(), heartbeat, MILLISECOND) <= lease_ms""".formatted(table);
		this.unconditionalRenewSql = "UPDATE %s SET heartbeat = PENDING_COMMIT_TIMESTAMP() WHERE name = @name"
			.formatted(table) + " AND @incarnation = @incarnation AND @epoch = @epoch";
		this.releaseSql = """
				UPDATE %s SET writer = NULL, incarnation = NULL
				WHERE name = @name AND incarnation = @incarnation AND epoch = @epoch""".formatted(table);
	}

	@Override
	public LeaseRecord read(String lockName, Duration timeout) {
		return this.calls.call("lease read", timeout, () -> {
			try (ResultSet rs = this.client.singleUse().executeQuery(readStatement(lockName))) {
				return rs.next() ? record(rs) : LeaseRecord.absent();
			}
		});
	}

	@Override
	public AcquireResult tryAcquire(String lockName, LeaseClaim claim, Duration timeout) {
		PromptTransaction.Committed<AcquireResult> committed = this.calls.call("lease takeover", timeout,
				() -> PromptTransaction.run(this.client, (tx) -> takeover(tx, lockName, claim)));
		AcquireResult result = committed.value();
		return result.acquired()
				? new AcquireResult(true, result.record(), SpannerCalls.instant(committed.commitTimestamp())) : result;
	}

	private AcquireResult takeover(TransactionContext tx, String lockName, LeaseClaim claim) {
		LeaseRecord current;
		try (ResultSet rs = tx.executeQuery(readStatement(lockName))) {
			current = rs.next() ? record(rs) : LeaseRecord.absent();
		}
		if (!current.claimableBy(claim)) {
			return AcquireResult.lost(current);
		}
		long epoch = current.epoch() + 1;
		tx.buffer(Mutation.newInsertOrUpdateBuilder(this.table)
			.set("name")
			.to(lockName)
			.set("writer")
			.to(claim.holder())
			.set("incarnation")
			.to(claim.incarnation())
			.set("epoch")
			.to(epoch)
			.set("lease_ms")
			.to(claim.leaseMillis())
			.set("heartbeat")
			.to(Value.COMMIT_TIMESTAMP)
			.set("token")
			.to(Value.COMMIT_TIMESTAMP)
			.build());
		return new AcquireResult(true, new LeaseRecord(claim.holder(), claim.incarnation(), epoch, claim.leaseMillis(), 0),
				null);
	}

	@Override
	public boolean renew(String lockName, String incarnation, long epoch, Duration timeout) {
		String sql = dev.hedge.common.Failpoints.enabled(dev.hedge.common.Failpoints.UNCONDITIONAL_RENEW)
				? this.unconditionalRenewSql : this.renewSql;
		return conditionalUpdate("lease renewal", sql, lockName, incarnation, epoch, timeout);
	}

	@Override
	public boolean release(String lockName, String incarnation, long epoch, Duration timeout) {
		return conditionalUpdate("lease release", this.releaseSql, lockName, incarnation, epoch, timeout);
	}

	private boolean conditionalUpdate(String what, String sql, String lockName, String incarnation, long epoch,
			Duration timeout) {
		Statement statement = Statement.newBuilder(sql)
			.bind("name")
			.to(lockName)
			.bind("incarnation")
			.to(incarnation)
			.bind("epoch")
			.to(epoch)
			.build();
		long changed = this.calls.call(what, timeout,
				() -> PromptTransaction.run(this.client, (tx) -> tx.executeUpdate(statement))).value();
		return changed == 1;
	}

	private Statement readStatement(String lockName) {
		return Statement.newBuilder(this.readSql).bind("name").to(lockName).build();
	}

	private static LeaseRecord record(ResultSet rs) {
		return new LeaseRecord(rs.isNull("writer") ? null : rs.getString("writer"),
				rs.isNull("incarnation") ? null : rs.getString("incarnation"), rs.getLong("epoch"),
				rs.getLong("lease_ms"), rs.isNull("age") ? NO_HEARTBEAT_AGE : rs.getLong("age"));
	}

}
