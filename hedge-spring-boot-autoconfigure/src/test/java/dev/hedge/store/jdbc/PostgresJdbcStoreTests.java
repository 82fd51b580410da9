package dev.hedge.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.hedge.common.StoreException;
import dev.hedge.election.Fence;
import dev.hedge.election.LeaseClaim;
import dev.hedge.kv.LogQuery;
import dev.hedge.kv.LogRecord;
import dev.hedge.store.HedgeStore;
import dev.hedge.store.TableNames;
import dev.hedge.testsupport.PostgresDatabaseExtension;
import dev.hedge.testsupport.PostgresTestDatabase;
import dev.hedge.testsupport.Timing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The JDBC adapter on PostgreSQL beyond the store contract: a call blocked on a row lock ends at its deadline (the
 * statement is cancelled, 57014) and leaves the lease connection usable; lease calls keep their own connection when
 * the application's pool is exhausted; a value PostgreSQL cannot store (U+0000 in text) is refused as rejected data,
 * so a put fails alone instead of being retried.
 */
@ExtendWith(PostgresDatabaseExtension.class)
class PostgresJdbcStoreTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static LeaseClaim claim(String holder) {
		return new LeaseClaim(holder, UUID.randomUUID().toString(), 60_000, 1_000);
	}

	@Test
	void aCallBlockedOnARowLockEndsAtItsDeadlineAndTheLeaseConnectionStaysUsable(PostgresTestDatabase database)
			throws Exception {
		try (HedgeStore store = JdbcHedgeStore.open(database.dataSource(), TableNames.defaults(), true,
				JdbcHedgeStore.Properties.JDBC)) {
			String lock = "lock-" + UUID.randomUUID();
			LeaseClaim holder = claim("a:1");
			long epoch = store.leases().tryAcquire(lock, holder, TIMEOUT).record().epoch();
			try (Connection other = database.connect()) {
				other.setAutoCommit(false);
				try (PreparedStatement statement = other
					.prepareStatement("SELECT \"epoch\" FROM \"hedge_lock\" WHERE \"name\" = ? FOR UPDATE")) {
					statement.setString(1, lock);
					statement.executeQuery().close();
				}
				long start = System.nanoTime();
				assertThatExceptionOfType(StoreException.class)
					.isThrownBy(() -> store.leases().renew(lock, holder.incarnation(), epoch, Duration.ofSeconds(1)))
					.satisfies((ex) -> assertThat(ex.isTimeout()).isTrue());
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
				other.rollback();
			}
			assertThat(store.leases().renew(lock, holder.incarnation(), epoch, TIMEOUT)).isTrue();
		}
	}

	@Test
	void aClientFrozenInsideATransactionDoesNotKeepTheLeaseRowLockedPastItsCall(PostgresTestDatabase database)
			throws Exception {
		// found by chaos S11: a leader SIGSTOPped inside a fenced write kept the lease row locked until it resumed,
		// so the successor's take-over waited for the pause, not the lease
		try (HedgeStore store = JdbcHedgeStore.open(database.dataSource(), TableNames.defaults(), true,
				JdbcHedgeStore.Properties.JDBC);
				JdbcCalls calls = JdbcCalls.pooled(database.dataSource(), JdbcDialect.POSTGRESQL, "frozen")) {
			String lock = "lock-" + UUID.randomUUID();
			store.leases().tryAcquire(lock, claim("a:1"), TIMEOUT);
			CountDownLatch frozen = new CountDownLatch(1);
			CountDownLatch locked = new CountDownLatch(1);
			long start = System.nanoTime();
			try {
				assertThatExceptionOfType(StoreException.class).isThrownBy(() -> calls.call("frozen write",
						Duration.ofSeconds(1), true, (session) -> {
							try (PreparedStatement statement = session
								.prepare("SELECT \"epoch\" FROM \"hedge_lock\" WHERE \"name\" = ? FOR UPDATE")) {
								statement.setString(1, lock);
								statement.executeQuery().close();
							}
							locked.countDown();
							// the client stops sending: no commit, no rollback, the connection open
							try {
								frozen.await(30, TimeUnit.SECONDS);
							}
							catch (InterruptedException ex) {
								Thread.currentThread().interrupt();
							}
							return null;
						}))
					.satisfies((ex) -> assertThat(ex.isTimeout()).isTrue());
				assertThat(locked.getCount()).as("the row was locked").isZero();
				try (Connection other = database.connect()) {
					try (PreparedStatement update = other
						.prepareStatement("UPDATE \"hedge_lock\" SET \"writer\" = 'b:1' WHERE \"name\" = ?")) {
						update.setQueryTimeout(20);
						update.setString(1, lock);
						assertThat(update.executeUpdate()).isEqualTo(1);
					}
				}
				Duration took = Duration.ofNanos(System.nanoTime() - start);
				assertThat(took).as("the row free again (the frozen client's call: 1 s + %s)", JdbcCalls.GRACE)
					.isLessThan(Duration.ofSeconds(1).plus(JdbcCalls.GRACE).plus(Timing.seconds(2)));
			}
			finally {
				frozen.countDown();
			}
		}
	}

	@Test
	void leaseCallsKeepTheirConnectionWhileTheApplicationHoldsEveryPooledOne(PostgresTestDatabase database)
			throws Exception {
		List<Connection> held = new ArrayList<>();
		try (HikariDataSource pool = database.newPool(3);
				HedgeStore store = JdbcHedgeStore.open(pool, TableNames.defaults(), true,
						JdbcHedgeStore.Properties.JDBC)) {
			String lock = "lock-" + UUID.randomUUID();
			LeaseClaim holder = claim("a:1");
			long epoch = store.leases().tryAcquire(lock, holder, TIMEOUT).record().epoch();
			while (pool.getHikariPoolMXBean().getActiveConnections() < 3) {
				held.add(pool.getConnection());
			}
			assertThatExceptionOfType(StoreException.class)
				.isThrownBy(() -> store.log().read("k", LogQuery.latest(), Duration.ofSeconds(1)));
			for (int i = 0; i < 5; i++) {
				assertThat(store.leases().renew(lock, holder.incarnation(), epoch, Duration.ofSeconds(1))).isTrue();
			}
			for (Connection connection : held) {
				connection.close();
			}
		}
	}

	@Test
	void aValuePostgresCannotStoreIsRejectedNotRetried(PostgresTestDatabase database) {
		try (HedgeStore store = JdbcHedgeStore.open(database.dataSource(), TableNames.defaults(), true,
				JdbcHedgeStore.Properties.JDBC)) {
			String lock = "lock-" + UUID.randomUUID();
			Fence fence = new Fence(lock, store.leases().tryAcquire(lock, claim("a:1"), TIMEOUT).record().epoch());
			String key = "k-" + UUID.randomUUID();
			long start = System.nanoTime();
			assertThatExceptionOfType(StoreException.class)
				.isThrownBy(() -> store.log()
					.append(fence, List.of(new LogRecord(key, "id-1", "nul \u0000 inside", "a:1")), TIMEOUT))
				.satisfies((ex) -> assertThat(ex.isRejected()).isTrue());
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
			assertThat(store.log().read(key, LogQuery.all(), TIMEOUT)).isEmpty();
		}
	}

}
