package dev.hedge.store.jdbc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hedge.election.LeaderElector;
import dev.hedge.election.LeaseClaim;
import dev.hedge.election.LeaseRecord;
import dev.hedge.store.HedgeStore;
import dev.hedge.store.TableNames;
import dev.hedge.testsupport.ElectionCluster;
import dev.hedge.testsupport.Timing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The JDBC adapter's SQL on H2 beyond the store contract: lease ages computed on instants (members whose sessions run
 * in different time zones agree on them; H2's {@code DATEDIFF} on timestamps with time zone ignored the offsets, so a
 * UTC member saw a Berlin leader's lease an hour old and stole it, and a Berlin member saw a UTC leader's an hour in
 * the future and could not replace it for an hour), and semaphore reads that are primary-key ranges, not scans of the
 * log.
 */
class JdbcPortabilityTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	/** One embedded database file, reached through sessions in the given time zone. */
	private static HedgeStore inZone(Path directory, String zone) {
		JdbcDataSource source = new JdbcDataSource();
		source.setURL("jdbc:h2:file:" + directory.resolve("hedge") + ";AUTO_SERVER=TRUE;LOCK_TIMEOUT=2000"
				+ ";TIME ZONE=" + zone);
		source.setUser("sa");
		return JdbcHedgeStore.open(source, TableNames.defaults(), true);
	}

	@Test
	void aLeasesAgeIsTheSameFromSessionsInDifferentTimeZones(@TempDir Path directory) {
		try (HedgeStore berlin = inZone(directory, "Europe/Berlin"); HedgeStore utc = inZone(directory, "UTC")) {
			String lock = "tz-" + UUID.randomUUID();
			LeaseClaim holder = new LeaseClaim("berlin:1", UUID.randomUUID().toString(), 10_000, 1_000);
			assertThat(berlin.leases().tryAcquire(lock, holder, TIMEOUT).acquired()).isTrue();
			LeaseRecord seenFromUtc = utc.leases().read(lock, TIMEOUT);
			assertThat(Math.abs(seenFromUtc.ageMillis())).as("age seen from a UTC session").isLessThan(1000);
			LeaseClaim thief = new LeaseClaim("utc:1", UUID.randomUUID().toString(), 10_000, 1_000);
			assertThat(utc.leases().tryAcquire(lock, thief, TIMEOUT).acquired()).as("a live lease is not stolen")
				.isFalse();
			assertThat(berlin.leases().renew(lock, holder.incarnation(), 1, TIMEOUT)).isTrue();
			assertThat(Math.abs(berlin.leases().read(lock, TIMEOUT).ageMillis())).isLessThan(1000);
		}
	}

	@Test
	void membersInDifferentTimeZonesNeitherStealALiveLeaseNorWaitAnHourForADeadOne(@TempDir Path directory) {
		try (HedgeStore utc = inZone(directory, "UTC"); HedgeStore berlin = inZone(directory, "Europe/Berlin")) {
			String group = "tz-" + UUID.randomUUID();
			LeaderElector first = new LeaderElector(group, "utc:1", utc.leases(), ElectionCluster.TEST_OPTIONS);
			LeaderElector second = new LeaderElector(group, "berlin:1", berlin.leases(), ElectionCluster.TEST_OPTIONS);
			try {
				first.start();
				await().atMost(Timing.seconds(10)).until(first::isLeader);
				second.start();
				// three leases long: the UTC leader renews, the Berlin follower must never take over
				long until = System.nanoTime() + ElectionCluster.TEST_OPTIONS.leaseDuration().multipliedBy(3).toNanos();
				while (System.nanoTime() < until) {
					assertThat(second.isLeader()).as("the Berlin member stole a live lease").isFalse();
					assertThat(first.leaderId()).contains("utc:1");
					sleep(100);
				}
				first.halt();
				long crashed = System.nanoTime();
				await().atMost(Timing.seconds(30)).until(second::isLeader);
				Duration failover = Duration.ofNanos(System.nanoTime() - crashed);
				assertThat(failover).as("failover across time zones")
					.isLessThan(ElectionCluster.TEST_OPTIONS.failoverBound().plus(Timing.seconds(2)));
			}
			finally {
				second.close();
				first.close();
			}
		}
	}

	@Test
	void semaphoreReadsArePrimaryKeyRangesNotScansOfTheLog(@TempDir Path directory) throws Exception {
		try (JdbcHedgeStore store = JdbcHedgeStore.embedded(directory, true)) {
			JdbcSemaphoreStore semaphores = (JdbcSemaphoreStore) store.semaphores();
			JdbcDataSource source = new JdbcDataSource();
			source.setURL("jdbc:h2:file:" + directory.toAbsolutePath().resolve("hedge") + ";AUTO_SERVER=TRUE");
			source.setUser("sa");
			List<String> plans = new ArrayList<>();
			try (Connection connection = source.getConnection()) {
				for (String sql : semaphores.readStatements()) {
					try (PreparedStatement explain = connection.prepareStatement("EXPLAIN " + sql)) {
						for (int i = 1; i <= explain.getParameterMetaData().getParameterCount(); i++) {
							explain.setString(i, "x");
						}
						try (ResultSet rs = explain.executeQuery()) {
							rs.next();
							plans.add(rs.getString(1));
						}
					}
				}
			}
			assertThat(plans).hasSize(4).allSatisfy((plan) -> assertThat(plan).doesNotContain("tableScan"));
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
