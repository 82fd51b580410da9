package dev.hedge.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

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
