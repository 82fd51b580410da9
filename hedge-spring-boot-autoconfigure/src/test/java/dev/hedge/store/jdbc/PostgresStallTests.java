package dev.hedge.store.jdbc;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import dev.hedge.common.StoreException;
import dev.hedge.election.Fence;
import dev.hedge.election.LeaseClaim;
import dev.hedge.kv.LogQuery;
import dev.hedge.kv.LogRecord;
import dev.hedge.store.HedgeStore;
import dev.hedge.store.TableNames;
import dev.hedge.testsupport.PostgresDatabaseExtension;
import dev.hedge.testsupport.PostgresServer;
import dev.hedge.testsupport.PostgresTestDatabase;
import dev.hedge.testsupport.Timing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A stalled PostgreSQL server (every server process stopped with SIGSTOP, as a frozen host): store calls end at their
 * deadline (plus {@link JdbcCalls#GRACE}) as timeouts of unknown outcome, although the driver's statement cancel goes
 * to the stopped server too and the pool waits its own timeouts; after the server resumes, the store works again. A
 * private server, since the test stops it.
 */
class PostgresStallTests {

	private static final Duration CALL = Duration.ofSeconds(1);

	// the grace is the store's promise; the slack is the caller's scheduling on a loaded machine (a stalled server
	// without the bound hangs forever, so the check still fails without it)
	private static final Duration BOUND = CALL.plus(JdbcCalls.GRACE).plus(Timing.scaled(Duration.ofMillis(600)));

	@Test
	void callsToAStalledServerEndAtTheirDeadlineAndTheStoreRecoversWhenItResumes() throws Exception {
		if (!PostgresServer.binariesAvailable()) {
			// the server of HEDGE_TEST_POSTGRES_URL cannot be stopped: only the skip-or-fail rule is the extension's
			PostgresDatabaseExtension.requireServer("PostgresStallTests");
			Assumptions.abort("a private PostgreSQL server needs Debian's PostgreSQL binaries");
		}
		try (PostgresServer server = PostgresServer.startPrivate();
				PostgresTestDatabase database = PostgresTestDatabase.create(server, "stall");
				HikariDataSource pool = database.newPool(4);
				HedgeStore store = JdbcHedgeStore.open(pool, TableNames.defaults(), true,
						JdbcHedgeStore.Properties.JDBC)) {
			String lock = "lock-" + UUID.randomUUID();
			LeaseClaim holder = new LeaseClaim("a:1", UUID.randomUUID().toString(), 60_000, 1_000);
			long epoch = store.leases().tryAcquire(lock, holder, Duration.ofSeconds(10)).record().epoch();
			Fence fence = new Fence(lock, epoch);
			server.pause();
			try {
				long first = System.nanoTime();
				assertThatExceptionOfType(StoreException.class)
					.isThrownBy(() -> store.leases().renew(lock, holder.incarnation(), epoch, CALL))
					.satisfies((ex) -> assertThat(ex.isTimeout()).as("outcome unknown").isTrue());
				assertThat(Duration.ofNanos(System.nanoTime() - first)).as("first renewal").isLessThan(BOUND);
				for (int i = 0; i < 3; i++) {
					// later renewals find the lease connection still held by the first one's worker: not started
					long start = System.nanoTime();
					assertThatExceptionOfType(StoreException.class)
						.isThrownBy(() -> store.leases().renew(lock, holder.incarnation(), epoch, CALL));
					assertThat(Duration.ofNanos(System.nanoTime() - start)).as("renewal %d", i).isLessThan(BOUND);
					start = System.nanoTime();
					assertThatExceptionOfType(StoreException.class).isThrownBy(() -> store.log()
						.append(fence, List.of(new LogRecord("k", UUID.randomUUID().toString(), "v", "a:1")), CALL));
					assertThat(Duration.ofNanos(System.nanoTime() - start)).as("append %d", i).isLessThan(BOUND);
					start = System.nanoTime();
					assertThatExceptionOfType(StoreException.class)
						.isThrownBy(() -> store.log().read("k", LogQuery.latest(), CALL));
					assertThat(Duration.ofNanos(System.nanoTime() - start)).as("read %d", i).isLessThan(BOUND);
				}
			}
			finally {
				server.resume();
			}
			await().atMost(Timing.seconds(30))
				.ignoreExceptions()
				.until(() -> store.leases().renew(lock, holder.incarnation(), epoch, CALL));
			String key = "after-" + UUID.randomUUID();
			store.log().append(fence, List.of(new LogRecord(key, "id", "v", "a:1")), Duration.ofSeconds(10));
			assertThat(store.log().read(key, LogQuery.latest(), Duration.ofSeconds(10))).hasSize(1);
		}
	}

}
