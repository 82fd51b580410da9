package dev.hedge.store.jdbc;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.hedge.election.Fence;
import dev.hedge.election.LeaseClaim;
import dev.hedge.kv.LogEntry;
import dev.hedge.kv.LogQuery;
import dev.hedge.kv.LogRecord;
import dev.hedge.store.HedgeStore;
import dev.hedge.testsupport.EmbeddedDatabaseExtension;
import dev.hedge.testsupport.EmbeddedTestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A child JVM opens the embedded store first (so it serves the database file), appends records one by one and prints
 * each acknowledgement; it is SIGKILLed mid-stream. Every acknowledged record must be readable afterwards. H2's
 * default 500 ms write delay loses the last acknowledged commits here; the store's {@code WRITE_DELAY=0} keeps them.
 */
@ExtendWith(EmbeddedDatabaseExtension.class)
class EmbeddedCrashDurabilityTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final String LOCK = "crash-lock";

	private static final String KEY = "crash-key";

	@Test
	void acknowledgedAppendsSurviveSigkillOfTheServingProcess(EmbeddedTestDatabase database) throws Exception {
		String java = ProcessHandle.current().info().command().orElse("java");
		Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
				Writer.class.getName(), database.directory().toString())
			.redirectErrorStream(true)
			.start();
		List<String> acknowledged = new ArrayList<>();
		try (BufferedReader out = new BufferedReader(
				new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = out.readLine()) != null) {
				if (line.startsWith("ACK ")) {
					acknowledged.add(line.substring(4));
					if (acknowledged.size() == 40) {
						child.destroyForcibly();
						break;
					}
				}
			}
		}
		finally {
			child.destroyForcibly();
			assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
		}
		assertThat(acknowledged).as("the child acknowledged appends before it was killed").hasSize(40);
		try (HedgeStore store = JdbcHedgeStore.embedded(database.directory(), false)) {
			List<String> values = store.log()
				.read(KEY, LogQuery.all(), TIMEOUT)
				.stream()
				.map(LogEntry::value)
				.toList();
			assertThat(values).containsAll(acknowledged);
		}
	}

	/** The child: serves the database, appends records and acknowledges each on stdout. */
	static final class Writer {

		public static void main(String[] args) {
			HedgeStore store = JdbcHedgeStore.embedded(Path.of(args[0]), true);
			LeaseClaim holder = new LeaseClaim("writer", UUID.randomUUID().toString(), 600_000, 1_000);
			long epoch = store.leases().tryAcquire(LOCK, holder, TIMEOUT).record().epoch();
			Fence fence = new Fence(LOCK, epoch);
			for (int i = 0; i < 100_000; i++) {
				String value = "v" + i;
				store.log().append(fence, List.of(new LogRecord(KEY, UUID.randomUUID().toString(), value, "writer")),
						TIMEOUT);
				System.out.println("ACK " + value);
				System.out.flush();
			}
		}

	}

}
