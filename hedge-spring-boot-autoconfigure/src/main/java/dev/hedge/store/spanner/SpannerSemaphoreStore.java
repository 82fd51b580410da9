package dev.hedge.store.spanner;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.Key;
import com.google.cloud.spanner.Mutation;
import com.google.cloud.spanner.ResultSet;
import com.google.cloud.spanner.Statement;
import com.google.cloud.spanner.Struct;
import com.google.cloud.spanner.TransactionContext;
import com.google.cloud.spanner.TransactionRunner;
import com.google.cloud.spanner.Value;

import dev.hedge.election.Fence;
import dev.hedge.semaphore.SemaphoreRows;
import dev.hedge.semaphore.SemaphoreStore;

/**
 * {@link SemaphoreStore} on Spanner. A grant reads the fence, the definition and the permit count (a key-range
 * query) and inserts the permit in one serialisable transaction; concurrent grants conflict on that range and the
 * client re-runs the loser, which then sees the new count.
 */
final class SpannerSemaphoreStore implements SemaphoreStore {

	private final DatabaseClient client;

	private final SpannerCalls calls;

	private final String lockTable;

	private final String logTable;

	private final String countSql;

	private final String permitsSql;

	private final String allPermitsSql;

	private final String holderPermitsSql;

	SpannerSemaphoreStore(DatabaseClient client, SpannerCalls calls, String lockTable, String logTable) {
		this.client = client;
		this.calls = calls;
		this.lockTable = lockTable;
		this.logTable = logTable;
		this.countSql = "SELECT COUNT(*) FROM " + logTable + " WHERE key = @key AND STARTS_WITH(id, @permit)";
		this.permitsSql = "SELECT key, id, value, timestamp FROM " + logTable
				+ " WHERE key = @key AND STARTS_WITH(id, @permit)";
		this.allPermitsSql = "SELECT key, id, value, timestamp FROM " + logTable
				+ " WHERE STARTS_WITH(key, @prefix) AND STARTS_WITH(id, @permit)";
		this.holderPermitsSql = this.allPermitsSql + " AND value = @holder";
	}

	@Override
	public int define(Fence fence, String name, int limit, String writer, Duration timeout) {
		return this.calls.call("semaphore define", timeout, () -> this.client.readWriteTransaction().run((tx) -> {
			SpannerFence.check(tx, this.lockTable, fence);
			OptionalInt existing = readLimit(tx, name);
			if (existing.isPresent()) {
				return existing.getAsInt();
			}
			tx.buffer(row(SemaphoreRows.key(name), SemaphoreRows.DEFINITION_ID, Integer.toString(limit), writer));
			return limit;
		}));
	}

	@Override
	public Grant grant(Fence fence, String name, String permitId, String holder, String writer, Duration timeout) {
		TransactionRunner runner = this.client.readWriteTransaction();
		Grant outcome = this.calls.call("semaphore grant", timeout,
				() -> runner.run((tx) -> grant(tx, fence, name, permitId, holder, writer)));
		if (outcome.created()) {
			return new Grant(Grant.Status.GRANTED, outcome.limit(), SpannerCalls.instant(runner.getCommitTimestamp()),
					true);
		}
		return outcome;
	}

	private Grant grant(TransactionContext tx, Fence fence, String name, String permitId, String holder,
			String writer) {
		SpannerFence.check(tx, this.lockTable, fence);
		OptionalInt limit = readLimit(tx, name);
		if (limit.isEmpty()) {
			return new Grant(Grant.Status.NOT_FOUND, 0, null, false);
		}
		String key = SemaphoreRows.key(name);
		Struct existing = tx.readRow(this.logTable, Key.of(key, SemaphoreRows.permitRowId(permitId)),
				List.of("timestamp"));
		if (existing != null) {
			return new Grant(Grant.Status.GRANTED, limit.getAsInt(),
					SpannerCalls.instant(existing.getTimestamp("timestamp")), false);
		}
		long count;
		try (ResultSet rs = tx.executeQuery(Statement.newBuilder(this.countSql)
			.bind("key")
			.to(key)
			.bind("permit")
			.to(SemaphoreRows.PERMIT_PREFIX)
			.build())) {
			rs.next();
			count = rs.getLong(0);
		}
		if (count >= limit.getAsInt()) {
			return new Grant(Grant.Status.FULL, limit.getAsInt(), null, false);
		}
		tx.buffer(row(key, SemaphoreRows.permitRowId(permitId), holder, writer));
		return new Grant(Grant.Status.GRANTED, limit.getAsInt(), null, true);
	}

	@Override
	public Optional<Instant> revoke(Fence fence, String name, String permitId, Duration timeout) {
		TransactionRunner runner = this.client.readWriteTransaction();
		Key row = Key.of(SemaphoreRows.key(name), SemaphoreRows.permitRowId(permitId));
		boolean existed = this.calls.call("semaphore release", timeout, () -> runner.run((tx) -> {
			SpannerFence.check(tx, this.lockTable, fence);
			if (tx.readRow(this.logTable, row, List.of("id")) == null) {
				return false;
			}
			tx.buffer(Mutation.delete(this.logTable, row));
			return true;
		}));
		return existed ? Optional.of(SpannerCalls.instant(runner.getCommitTimestamp())) : Optional.empty();
	}

	@Override
	public List<Revoked> revokeHolder(Fence fence, String holder, Duration timeout) {
		TransactionRunner runner = this.client.readWriteTransaction();
		List<PermitRecord> deleted = this.calls.call("semaphore reclaim", timeout, () -> runner.run((tx) -> {
			SpannerFence.check(tx, this.lockTable, fence);
			List<PermitRecord> held = query(tx::executeQuery, Statement.newBuilder(this.holderPermitsSql)
				.bind("prefix")
				.to(SemaphoreRows.KEY_PREFIX)
				.bind("permit")
				.to(SemaphoreRows.PERMIT_PREFIX)
				.bind("holder")
				.to(holder)
				.build());
			for (PermitRecord permit : held) {
				tx.buffer(Mutation.delete(this.logTable, Key.of(SemaphoreRows.key(permit.semaphore()),
						SemaphoreRows.permitRowId(permit.permitId()))));
			}
			return held;
		}));
		if (deleted.isEmpty()) {
			return List.of();
		}
		Instant at = SpannerCalls.instant(runner.getCommitTimestamp());
		return deleted.stream().map((permit) -> new Revoked(permit, at)).toList();
	}

	@Override
	public List<PermitRecord> permits(String name, Duration timeout) {
		Statement statement = Statement.newBuilder(this.permitsSql)
			.bind("key")
			.to(SemaphoreRows.key(name))
			.bind("permit")
			.to(SemaphoreRows.PERMIT_PREFIX)
			.build();
		return this.calls.call("semaphore read", timeout,
				() -> query((s) -> this.client.singleUse().executeQuery(s), statement));
	}

	@Override
	public List<PermitRecord> allPermits(Duration timeout) {
		Statement statement = Statement.newBuilder(this.allPermitsSql)
			.bind("prefix")
			.to(SemaphoreRows.KEY_PREFIX)
			.bind("permit")
			.to(SemaphoreRows.PERMIT_PREFIX)
			.build();
		return this.calls.call("semaphore read", timeout,
				() -> query((s) -> this.client.singleUse().executeQuery(s), statement));
	}

	@Override
	public OptionalInt limit(String name, Duration timeout) {
		return this.calls.call("semaphore read", timeout, () -> {
			Struct row = this.client.singleUse()
				.readRow(this.logTable, Key.of(SemaphoreRows.key(name), SemaphoreRows.DEFINITION_ID),
						List.of("value"));
			return (row == null) ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(row.getString("value")));
		});
	}

	private OptionalInt readLimit(TransactionContext tx, String name) {
		Struct row = tx.readRow(this.logTable, Key.of(SemaphoreRows.key(name), SemaphoreRows.DEFINITION_ID),
				List.of("value"));
		return (row == null) ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(row.getString("value")));
	}

	private Mutation row(String key, String id, String value, String writer) {
		return Mutation.newInsertBuilder(this.logTable)
			.set("key")
			.to(key)
			.set("id")
			.to(id)
			.set("value")
			.to(value)
			.set("leader")
			.to(writer)
			.set("timestamp")
			.to(Value.COMMIT_TIMESTAMP)
			.build();
	}

	private static List<PermitRecord> query(java.util.function.Function<Statement, ResultSet> executor,
			Statement statement) {
		List<PermitRecord> permits = new ArrayList<>();
		try (ResultSet rs = executor.apply(statement)) {
			while (rs.next()) {
				permits.add(new PermitRecord(SemaphoreRows.name(rs.getString("key")),
						SemaphoreRows.permitId(rs.getString("id")), rs.getString("value"),
						SpannerCalls.instant(rs.getTimestamp("timestamp"))));
			}
		}
		return permits;
	}


}
