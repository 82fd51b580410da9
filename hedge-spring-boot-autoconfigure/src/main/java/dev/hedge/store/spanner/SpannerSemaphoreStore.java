package dev.hedge.store.spanner;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

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
 * client re-runs the loser, which then sees the new count. A semaphore's rows belong to one group
 * ({@link SemaphoreRows#key(String, String)}); listing a group's permits is a range read on the primary key, and a
 * reclaim deletes by primary key.
 */
final class SpannerSemaphoreStore implements SemaphoreStore {

	private final DatabaseClient client;

	private final SpannerCalls calls;

	private final String lockTable;

	private final String logTable;

	private final String countSql;

	private final String permitsSql;

	private final String allPermitsSql;

	SpannerSemaphoreStore(DatabaseClient client, SpannerCalls calls, String lockTable, String logTable) {
		this.client = client;
		this.calls = calls;
		this.lockTable = lockTable;
		this.logTable = logTable;
		this.countSql = "SELECT COUNT(*) FROM " + logTable + " WHERE key = @key AND STARTS_WITH(id, @permit)";
		this.permitsSql = "SELECT key, id, value, timestamp FROM " + logTable
				+ " WHERE key = @key AND STARTS_WITH(id, @permit)";
		this.allPermitsSql = "SELECT key, id, value, timestamp FROM " + logTable
				+ " WHERE key >= @from AND key < @to AND STARTS_WITH(id, @permit)";
	}

	@Override
	public int define(Fence fence, String name, int limit, String writer, Duration timeout) {
		String key = SemaphoreRows.key(fence.lockName(), name);
		return this.calls.call("semaphore define", timeout, () -> this.client.readWriteTransaction().run((tx) -> {
			SpannerFence.check(tx, this.lockTable, fence);
			OptionalInt existing = readLimit(tx, key);
			if (existing.isPresent()) {
				return existing.getAsInt();
			}
			tx.buffer(row(key, SemaphoreRows.DEFINITION_ID, Integer.toString(limit), writer));
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
		String key = SemaphoreRows.key(fence.lockName(), name);
		OptionalInt limit = readLimit(tx, key);
		if (limit.isEmpty()) {
			return new Grant(Grant.Status.NOT_FOUND, 0, null, false);
		}
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
		Key row = Key.of(SemaphoreRows.key(fence.lockName(), name), SemaphoreRows.permitRowId(permitId));
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
	public List<Revoked> revokeExactly(Fence fence, Collection<PermitRecord> permits, Duration timeout) {
		if (permits.isEmpty()) {
			return List.of();
		}
		TransactionRunner runner = this.client.readWriteTransaction();
		List<PermitRecord> deleted = this.calls.call("semaphore reclaim", timeout, () -> runner.run((tx) -> {
			SpannerFence.check(tx, this.lockTable, fence);
			List<PermitRecord> gone = new ArrayList<>();
			for (PermitRecord permit : permits) {
				Key row = Key.of(SemaphoreRows.key(fence.lockName(), permit.semaphore()),
						SemaphoreRows.permitRowId(permit.permitId()));
				Struct held = tx.readRow(this.logTable, row, List.of("value"));
				if (held != null && permit.holder().equals(held.getString("value"))) {
					tx.buffer(Mutation.delete(this.logTable, row));
					gone.add(permit);
				}
			}
			return gone;
		}));
		if (deleted.isEmpty()) {
			return List.of();
		}
		Instant at = SpannerCalls.instant(runner.getCommitTimestamp());
		return deleted.stream().map((permit) -> new Revoked(permit, at)).toList();
	}

	@Override
	public List<PermitRecord> permits(String group, String name, Duration timeout) {
		Statement statement = Statement.newBuilder(this.permitsSql)
			.bind("key")
			.to(SemaphoreRows.key(group, name))
			.bind("permit")
			.to(SemaphoreRows.PERMIT_PREFIX)
			.build();
		return this.calls.call("semaphore read", timeout,
				() -> query((s) -> this.client.singleUse().executeQuery(s), statement, group));
	}

	@Override
	public List<PermitRecord> allPermits(String group, Duration timeout) {
		String prefix = SemaphoreRows.groupPrefix(group);
		Statement statement = Statement.newBuilder(this.allPermitsSql)
			.bind("from")
			.to(prefix)
			.bind("to")
			.to(SemaphoreRows.prefixEnd(prefix))
			.bind("permit")
			.to(SemaphoreRows.PERMIT_PREFIX)
			.build();
		return this.calls.call("semaphore read", timeout,
				() -> query((s) -> this.client.singleUse().executeQuery(s), statement, group));
	}

	@Override
	public OptionalInt limit(String group, String name, Duration timeout) {
		return this.calls.call("semaphore read", timeout, () -> {
			Struct row = this.client.singleUse()
				.readRow(this.logTable, Key.of(SemaphoreRows.key(group, name), SemaphoreRows.DEFINITION_ID),
						List.of("value"));
			return (row == null) ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(row.getString("value")));
		});
	}

	private OptionalInt readLimit(TransactionContext tx, String key) {
		Struct row = tx.readRow(this.logTable, Key.of(key, SemaphoreRows.DEFINITION_ID), List.of("value"));
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

	private static List<PermitRecord> query(Function<Statement, ResultSet> executor, Statement statement,
			String group) {
		List<PermitRecord> permits = new ArrayList<>();
		try (ResultSet rs = executor.apply(statement)) {
			while (rs.next()) {
				Optional<String> name = SemaphoreRows.name(group, rs.getString("key"));
				if (name.isPresent()) {
					permits.add(new PermitRecord(name.get(), SemaphoreRows.permitId(rs.getString("id")),
							rs.getString("value"), SpannerCalls.instant(rs.getTimestamp("timestamp"))));
				}
			}
		}
		return permits;
	}

}
