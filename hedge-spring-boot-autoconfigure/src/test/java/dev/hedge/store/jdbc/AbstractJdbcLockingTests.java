package dev.hedge.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.hedge.election.AcquireResult;
import dev.hedge.election.Fence;
import dev.hedge.election.FencedException;
import dev.hedge.election.LeaseClaim;
import dev.hedge.kv.LogQuery;
import dev.hedge.kv.LogRecord;
import dev.hedge.semaphore.SemaphoreRows;
import dev.hedge.semaphore.SemaphoreStore.Grant;
import dev.hedge.store.HedgeStore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The JDBC adapter's row locks at READ COMMITTED, each case made deterministic: another session (a raw connection,
 * standing for another member) holds the lease row's lock while a store call starts, the test waits until the call is
 * blocked on that lock, then the other session commits. Each case fails when the adapter reads what it decides on from
 * a snapshot older than the lock: a fenced write that waited for a takeover must see the new epoch, a grant that
 * waited must count a permit committed under the lock (at REPEATABLE READ, whose snapshot is taken before the wait, it
 * over-grants), a renewal or takeover that waited must judge the row as committed, and a first insert of a lease row
 * that lost the race must see the winner.
 */
abstract class AbstractJdbcLockingTests {

	static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final HedgeStore store;

	private final ExecutorService caller = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "jdbc-locking-test-caller");
		thread.setDaemon(true);
		return thread;
	});

	AbstractJdbcLockingTests(HedgeStore store) {
		this.store = store;
	}

	/** A new connection to the store's database, outside the store. */
	abstract Connection connect() throws SQLException;

	/** Whether some session of the database now waits for a lock. */
	abstract boolean someoneWaitsForALock(Connection connection) throws SQLException;

	/** Another store on the same database, as another member opens it (own lease connection); the test closes it. */
	abstract HedgeStore anotherStore();

	@AfterAll
	void close() {
		this.caller.shutdownNow();
		this.store.close();
	}

	private static LeaseClaim claim(String holder, long leaseMillis) {
		return new LeaseClaim(holder, UUID.randomUUID().toString(), leaseMillis, 200);
	}

	private Connection transaction() throws SQLException {
		Connection connection = connect();
		connection.setAutoCommit(false);
		connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
		return connection;
	}

	private static void update(Connection connection, String sql, Object... parameters) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			for (int i = 0; i < parameters.length; i++) {
				statement.setObject(i + 1, parameters[i]);
			}
			statement.execute();
		}
	}

	/** Runs a store call on another thread, waits until it is blocked on a lock, then commits {@code holder}. */
	private <T> T blockedUntilCommit(Connection holder, java.util.concurrent.Callable<T> call) throws Exception {
		Future<T> result = this.caller.submit(call);
		try (Connection observer = connect()) {
			await().atMost(TIMEOUT).until(() -> someoneWaitsForALock(observer) || result.isDone());
		}
		assertThat(result.isDone()).as("the store call waits for the lock the other session holds").isFalse();
		holder.commit();
		try {
			return result.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
		catch (java.util.concurrent.ExecutionException ex) {
			if (ex.getCause() instanceof Exception cause) {
				throw cause;
			}
			throw ex;
		}
	}

	@Test
	void aFencedWriteThatWaitedForATakeoverSeesTheNewEpochAndWritesNothing() throws Exception {
		String lock = "lock-" + UUID.randomUUID();
		long epoch = this.store.leases().tryAcquire(lock, claim("a:1", 60_000), TIMEOUT).record().epoch();
		String key = "k-" + UUID.randomUUID();
		try (Connection other = transaction()) {
			update(other, "UPDATE \"hedge_lock\" SET \"epoch\" = \"epoch\" + 1, \"incarnation\" = ? WHERE \"name\" = ?",
					"thief", lock);
			assertThatExceptionOfType(FencedException.class).isThrownBy(() -> blockedUntilCommit(other,
					() -> this.store.log()
						.append(new Fence(lock, epoch), List.of(new LogRecord(key, "id-1", "v", "a:1")), TIMEOUT)));
		}
		assertThat(this.store.log().read(key, LogQuery.all(), TIMEOUT)).isEmpty();
	}

	@Test
	void aGrantThatWaitedForTheLeaseLockCountsEveryPermitCommittedUnderIt() throws Exception {
		String lock = "lock-" + UUID.randomUUID();
		Fence fence = new Fence(lock,
				this.store.leases().tryAcquire(lock, claim("a:1", 60_000), TIMEOUT).record().epoch());
		String name = "sem-" + UUID.randomUUID();
		this.store.semaphores().define(fence, name, 1, "a:1", TIMEOUT);
		Grant grant;
		try (Connection other = transaction()) {
			// another grant of the same group: lock the lease row (without changing it), insert a permit
			update(other, "SELECT \"epoch\" FROM \"hedge_lock\" WHERE \"name\" = ? FOR UPDATE", lock);
			update(other, "INSERT INTO \"hedge_log\" (\"id\", \"key\", \"value\", \"leader\", \"timestamp\")"
					+ " VALUES (?, ?, ?, ?, ?)", SemaphoreRows.permitRowId("first"), SemaphoreRows.key(lock, name),
					"m1:1", "a:1", OffsetDateTime.now(ZoneOffset.UTC));
			grant = blockedUntilCommit(other,
					() -> this.store.semaphores().grant(fence, name, "second", "m2:1", "a:1", TIMEOUT));
		}
		assertThat(grant.status()).as("limit 1, one permit committed before the grant got the lock")
			.isEqualTo(Grant.Status.FULL);
		assertThat(this.store.semaphores().permits(lock, name, TIMEOUT)).hasSize(1);
	}

	@Test
	void aRenewalThatWaitedForATakeoverChangesNothing() throws Exception {
		String lock = "lock-" + UUID.randomUUID();
		LeaseClaim holder = claim("a:1", 60_000);
		long epoch = this.store.leases().tryAcquire(lock, holder, TIMEOUT).record().epoch();
		boolean renewed;
		try (Connection other = transaction()) {
			update(other, "UPDATE \"hedge_lock\" SET \"epoch\" = \"epoch\" + 1, \"incarnation\" = ?, \"writer\" = ?"
					+ " WHERE \"name\" = ?", "thief", "b:1", lock);
			renewed = blockedUntilCommit(other,
					() -> this.store.leases().renew(lock, holder.incarnation(), epoch, TIMEOUT));
		}
		assertThat(renewed).isFalse();
		assertThat(this.store.leases().read(lock, TIMEOUT).holder()).isEqualTo("b:1");
	}

	@Test
	void aTakeoverThatWaitedForARenewalJudgesTheRenewedHeartbeat() throws Exception {
		String lock = "lock-" + UUID.randomUUID();
		LeaseClaim holder = claim("a:1", 300);
		assertThat(this.store.leases().tryAcquire(lock, holder, TIMEOUT).acquired()).isTrue();
		AcquireResult takeover;
		try (Connection other = transaction()) {
			// the holder's renewal has the row locked while the lease, as last committed, runs out
			update(other, "SELECT \"epoch\" FROM \"hedge_lock\" WHERE \"name\" = ? FOR UPDATE", lock);
			await().atMost(TIMEOUT).until(() -> this.store.leases().read(lock, TIMEOUT).ageMillis() > 300 + 200 + 100);
			Future<AcquireResult> result = this.caller
				.submit(() -> this.store.leases().tryAcquire(lock, claim("b:1", 300), TIMEOUT));
			try (Connection observer = connect()) {
				await().atMost(TIMEOUT).until(() -> someoneWaitsForALock(observer) || result.isDone());
			}
			assertThat(result.isDone()).as("the takeover waits for the renewal's lock").isFalse();
			// the renewal writes its heartbeat (its database clock, here this machine's) and commits
			update(other, "UPDATE \"hedge_lock\" SET \"heartbeat\" = ? WHERE \"name\" = ?",
					OffsetDateTime.now(ZoneOffset.UTC), lock);
			other.commit();
			takeover = result.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
		assertThat(takeover.acquired()).as("a takeover judged the lease on the row it waited for").isFalse();
	}

	/**
	 * A fenced write that holds the lease row's lock stamps its commit after a takeover began waiting for that lock;
	 * the takeover, serialised after the write, must be stamped after it too (the chaos fence audit orders writes and
	 * takeovers by these timestamps). H2's clock is the transaction's start, taken before the wait.
	 */
	@Test
	void aTakeoverThatWaitedForAFencedWriteIsStampedAfterIt() throws Exception {
		String lock = "lock-" + UUID.randomUUID();
		assertThat(this.store.leases().tryAcquire(lock, claim("a:1", 300), TIMEOUT).acquired()).isTrue();
		await().atMost(TIMEOUT).until(() -> this.store.leases().read(lock, TIMEOUT).ageMillis() > 300 + 200 + 100);
		OffsetDateTime written;
		AcquireResult takeover;
		try (Connection other = transaction()) {
			update(other, "SELECT \"epoch\" FROM \"hedge_lock\" WHERE \"name\" = ? FOR UPDATE", lock);
			Future<AcquireResult> result = this.caller
				.submit(() -> this.store.leases().tryAcquire(lock, claim("b:1", 300), TIMEOUT));
			try (Connection observer = connect()) {
				await().atMost(TIMEOUT).until(() -> someoneWaitsForALock(observer) || result.isDone());
			}
			assertThat(result.isDone()).as("the takeover waits for the write's lock").isFalse();
			Thread.sleep(20);
			// the write's commit timestamp, issued under the lock (JdbcFence records it in the lease row)
			written = OffsetDateTime.now(ZoneOffset.UTC);
			update(other, "UPDATE \"hedge_lock\" SET \"clock\" = ? WHERE \"name\" = ?", written, lock);
			other.commit();
			takeover = result.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
		assertThat(takeover.acquired()).isTrue();
		assertThat(takeover.committedAt()).as("the takeover's timestamp").isAfter(written.toInstant());
	}

	/**
	 * The contract suite's takeover race runs on one store, whose lease calls share one connection; here every
	 * contender is a member of its own, so the takeovers really meet in the database.
	 */
	@Test
	void takeoversByMembersOnTheirOwnConnectionsHaveExactlyOneWinnerPerRound() throws Exception {
		int members = 5;
		List<HedgeStore> stores = new java.util.ArrayList<>();
		ExecutorService pool = Executors.newFixedThreadPool(members);
		try {
			for (int i = 0; i < members; i++) {
				stores.add(anotherStore());
			}
			String lock = "race-" + UUID.randomUUID();
			long previous = 0;
			for (int round = 0; round < 10; round++) {
				java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(members);
				List<Future<AcquireResult>> attempts = new java.util.ArrayList<>();
				List<LeaseClaim> claims = new java.util.ArrayList<>();
				for (int i = 0; i < members; i++) {
					HedgeStore store = stores.get(i);
					LeaseClaim claim = claim("m" + i + ":1", 60_000);
					claims.add(claim);
					attempts.add(pool.submit(() -> {
						start.await();
						return store.leases().tryAcquire(lock, claim, TIMEOUT);
					}));
				}
				List<Integer> winners = new java.util.ArrayList<>();
				for (int i = 0; i < members; i++) {
					AcquireResult result = attempts.get(i).get();
					if (result.acquired()) {
						winners.add(i);
						assertThat(result.record().epoch()).as("round %d", round).isEqualTo(previous + 1);
					}
				}
				assertThat(winners).as("winners of round %d", round).hasSize(1);
				previous++;
				LeaseClaim winner = claims.get(winners.get(0));
				assertThat(this.store.leases().read(lock, TIMEOUT).incarnation()).isEqualTo(winner.incarnation());
				assertThat(this.store.leases().release(lock, winner.incarnation(), previous, TIMEOUT)).isTrue();
			}
		}
		finally {
			pool.shutdownNow();
			stores.forEach(HedgeStore::close);
		}
	}

	@Test
	void aFirstClaimThatLostTheInsertRaceSeesTheWinner() throws Exception {
		String lock = "lock-" + UUID.randomUUID();
		AcquireResult second;
		try (Connection other = transaction()) {
			update(other, "INSERT INTO \"hedge_lock\" (\"name\", \"writer\", \"incarnation\", \"epoch\", \"lease_ms\","
					+ " \"heartbeat\", \"token\") VALUES (?, ?, ?, 1, 60000, ?, ?)", lock, "a:1", "first",
					OffsetDateTime.now(ZoneOffset.UTC), OffsetDateTime.now(ZoneOffset.UTC));
			second = blockedUntilCommit(other,
					() -> this.store.leases().tryAcquire(lock, claim("b:1", 60_000), TIMEOUT));
		}
		assertThat(second.acquired()).isFalse();
		assertThat(second.record().holder()).isEqualTo("a:1");
		assertThat(this.store.leases().read(lock, TIMEOUT).epoch()).isEqualTo(1);
	}

}
