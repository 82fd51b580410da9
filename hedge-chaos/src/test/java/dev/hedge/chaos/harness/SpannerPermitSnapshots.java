package dev.hedge.chaos.harness;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import com.google.cloud.Timestamp;
import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.Key;
import com.google.cloud.spanner.ReadContext;
import com.google.cloud.spanner.ResultSet;
import com.google.cloud.spanner.Statement;
import com.google.cloud.spanner.TimestampBound;
import io.grpc.Context;

import dev.hedge.chaos.check.PermitSnapshots;
import dev.hedge.semaphore.SemaphoreRows;

/**
 * {@link PermitSnapshots} read from the cluster's database with exact-timestamp read-only reads (the emulator keeps
 * old versions for the length of a run), with the library's own row layout ({@link SemaphoreRows}). A snapshot at
 * {@code micros} is read at {@code micros} plus 999 ns, so it shows a commit whose timestamp the histories truncated
 * to that microsecond. Any failure, including a read that takes longer than {@link #TIMEOUT}, is an empty answer.
 *
 * <p>Thread-safe. Owned by the {@link Cluster}, which closes it.
 */
final class SpannerPermitSnapshots implements PermitSnapshots, AutoCloseable {

	static final Duration TIMEOUT = Duration.ofSeconds(10);

	/** Enforces each read's deadline; thread {@code chaos-snapshot-deadlines}, stopped by {@link #close()}. */
	private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "chaos-snapshot-deadlines");
		thread.setDaemon(true);
		return thread;
	});

	private final DatabaseClient client;

	private final String logTable;

	private final String countSql;

	private final String group;

	SpannerPermitSnapshots(DatabaseClient client, String logTable, String group) {
		this.client = client;
		this.logTable = logTable;
		this.group = group;
		this.countSql = "SELECT COUNT(*) FROM " + logTable + " WHERE key = @key AND STARTS_WITH(id, @permit)";
	}

	@Override
	public OptionalLong permitsAt(String semaphore, long micros) {
		Statement count = Statement.newBuilder(this.countSql)
			.bind("key")
			.to(SemaphoreRows.key(this.group, semaphore))
			.bind("permit")
			.to(SemaphoreRows.PERMIT_PREFIX)
			.build();
		Optional<Long> rows = read(micros, (snapshot) -> {
			try (ResultSet rs = snapshot.executeQuery(count)) {
				return rs.next() ? rs.getLong(0) : null;
			}
		});
		return rows.map(OptionalLong::of).orElse(OptionalLong.empty());
	}

	@Override
	public Optional<Boolean> heldAt(String semaphore, String permitId, long micros) {
		Key row = Key.of(SemaphoreRows.key(this.group, semaphore), SemaphoreRows.permitRowId(permitId));
		return read(micros, (snapshot) -> snapshot.readRow(this.logTable, row, List.of("id")) != null);
	}

	private <T> Optional<T> read(long micros, Function<ReadContext, T> body) {
		Timestamp at = Timestamp.ofTimeSecondsAndNanos(Math.floorDiv(micros, 1_000_000L),
				(int) Math.floorMod(micros, 1_000_000L) * 1_000 + 999);
		Context.CancellableContext context = Context.current()
			.withDeadlineAfter(TIMEOUT.toNanos(), TimeUnit.NANOSECONDS, this.deadlines);
		try {
			return Optional.ofNullable(context.call(() -> {
				try (ReadContext snapshot = this.client.singleUse(TimestampBound.ofReadTimestamp(at))) {
					return body.apply(snapshot);
				}
			}));
		}
		catch (Exception ex) {
			System.out.println("[chaos] no database snapshot at " + micros + " us: " + ex);
			return Optional.empty();
		}
		finally {
			context.cancel(null);
		}
	}

	@Override
	public void close() {
		this.deadlines.shutdownNow();
	}

}
