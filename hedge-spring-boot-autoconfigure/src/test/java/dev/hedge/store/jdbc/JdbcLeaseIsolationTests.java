package dev.hedge.store.jdbc;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hedge.common.StoreException;
import dev.hedge.election.LeaseClaim;
import dev.hedge.kv.LogQuery;
import dev.hedge.store.HedgeStore;
import dev.hedge.store.TableNames;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Lease calls have a connection of their own: with every pooled connection held by the application (slow reads,
 * grants waiting for locks), the leader still renews, and within its deadline. Sharing the pool, a renewal waited for a
 * connection up to H2's 30 s login timeout, past every deadline, and the leader stepped down.
 */
class JdbcLeaseIsolationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(3);

	@Test
	void renewalsGoOnWhileTheApplicationHoldsEveryPooledConnection(@TempDir Path directory) throws Exception {
		JdbcConnectionPool pool = JdbcConnectionPool
			.create("jdbc:h2:file:" + directory.resolve("hedge") + ";LOCK_TIMEOUT=2000", "sa", "");
		pool.setMaxConnections(4);
		pool.setLoginTimeout(1);
		List<Connection> held = new ArrayList<>();
		try (HedgeStore store = JdbcHedgeStore.open(pool, TableNames.defaults(), true)) {
			String lock = "iso-" + UUID.randomUUID();
			LeaseClaim claim = new LeaseClaim("leader:1", UUID.randomUUID().toString(), 10_000, 1_000);
			long epoch = store.leases().tryAcquire(lock, claim, TIMEOUT).record().epoch();
			// the application takes every connection left (the lease store keeps one of the four for itself)
			while (pool.getActiveConnections() < 4) {
				held.add(pool.getConnection());
			}
			assertThatExceptionOfType(StoreException.class)
				.isThrownBy(() -> store.log().read("k", LogQuery.latest(), TIMEOUT));
			for (int i = 0; i < 5; i++) {
				long start = System.nanoTime();
				assertThat(store.leases().renew(lock, claim.incarnation(), epoch, TIMEOUT)).isTrue();
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT);
			}
		}
		finally {
			for (Connection connection : held) {
				connection.close();
			}
			pool.dispose();
		}
	}

}
