package dev.hedge.chaos.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import dev.hedge.chaos.check.PermitSnapshots;
import dev.hedge.chaos.member.StoreSpec;
import dev.hedge.kv.LogEntry;
import dev.hedge.kv.LogQuery;
import dev.hedge.store.HedgeStore;

/**
 * Where a chaos cluster's members keep their state, seen from the harness: the store the members are told to open
 * ({@link StoreSpec}) with any further system properties they need, the address of a database link to put fault
 * proxies on (if there is one), the database server to pause (if there is one), the database's snapshots for the
 * semaphore checkers (if it keeps versions), and the final reads of the workload's keys.
 *
 * <p>Driven by the harness thread; owned by the {@link Cluster}, which closes it.
 */
interface ClusterStore extends AutoCloseable {

	/** The store the members open ({@code -Dchaos.store}). */
	StoreSpec spec();

	/** host:port of the database the members reach over a link (each through its DB-link proxy); empty when none. */
	Optional<String> databaseHost();

	/** The database's name ({@code -Dchaos.database}); empty when the store has none. */
	Optional<String> databaseName();

	/** Further system properties of every member JVM (such as the role of a JDBC store); none by default. */
	default Map<String, String> memberProperties() {
		return Map.of();
	}

	/**
	 * Suspends every process of the database server (SIGSTOP): every call to it hangs until {@link #resumeDatabase()}.
	 * @throws UnsupportedOperationException for a store without a server of its own (the embedded store)
	 */
	default void pauseDatabase() {
		throw new UnsupportedOperationException(spec() + " has no database server to pause");
	}

	/** Resumes a paused database server (SIGCONT). */
	default void resumeDatabase() {
		throw new UnsupportedOperationException(spec() + " has no database server to resume");
	}

	/** Resumes the database server if it is paused; nothing otherwise. */
	default void heal() {
	}

	/** Exact-timestamp reads of a group's permit rows; {@link PermitSnapshots#NONE} if the store keeps no versions. */
	PermitSnapshots snapshots(String group);

	/** Why {@link #snapshots} answers nothing, to print next to the semaphore checks; empty when it does answer. */
	Optional<String> snapshotsUnavailable();

	/**
	 * Final {@code Get(k, -1)} of the workload's keys {@code <prefix>k00} ... read directly from the database (not
	 * through a leader): values newest first.
	 * @param live the cluster's live members (a store only they can reach is read through one of them)
	 * @param prefix the keys' prefix
	 * @param keys how many keys
	 * @return the values per key
	 */
	Map<String, List<String>> finalRead(List<Member> live, String prefix, int keys);

	/** The final read of the workload's keys on a store the harness holds itself. */
	static Map<String, List<String>> read(HedgeStore store, String prefix, int keys) {
		Map<String, List<String>> read = new LinkedHashMap<>();
		for (int k = 0; k < keys; k++) {
			String key = prefix + String.format("k%02d", k);
			List<LogEntry> entries = store.log().read(key, LogQuery.all(), Duration.ofSeconds(10));
			read.put(key, entries.stream().map(LogEntry::value).toList());
		}
		return read;
	}

	/**
	 * The final read of the workload's keys through the first live member that answers ({@code /storeRead}: the
	 * member reads its store directly, not through a leader).
	 * @throws IllegalStateException when none answers
	 */
	static Map<String, List<String>> readThroughMember(List<Member> live, String prefix, int keys) {
		List<String> failures = new ArrayList<>();
		for (Member member : live) {
			try {
				JsonNode read = member.call("GET", "/storeRead?prefix=" + prefix + "&keys=" + keys,
						Duration.ofSeconds(60));
				Map<String, List<String>> values = new LinkedHashMap<>();
				read.fields().forEachRemaining((entry) -> {
					List<String> list = new ArrayList<>();
					entry.getValue().forEach((value) -> list.add(value.asText()));
					values.put(entry.getKey(), list);
				});
				return values;
			}
			catch (RuntimeException ex) {
				failures.add(member.name() + ": " + ex);
			}
		}
		throw new IllegalStateException("no live member could read the store: " + failures);
	}

	@Override
	void close();

}
