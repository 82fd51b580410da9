package dev.hedge.store.spanner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.google.cloud.spanner.DatabaseAdminClient;
import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.DatabaseId;
import com.google.cloud.spanner.ResultSet;
import com.google.cloud.spanner.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hedge.common.HedgeConfigurationException;
import dev.hedge.common.StoreException;
import dev.hedge.store.SchemaScript;
import dev.hedge.store.TableNames;

/**
 * Checks hedge's tables exist with the columns it needs, and creates missing ones from
 * {@code dev/hedge/store/spanner/schema.ddl} when asked to.
 */
final class SpannerSchema {

	static final String RESOURCE = "dev/hedge/store/spanner/schema.ddl";

	private static final Logger logger = LoggerFactory.getLogger(SpannerSchema.class);

	private static final Map<String, List<String>> REQUIRED = Map.of("lock",
			List.of("name", "writer", "incarnation", "epoch", "lease_ms", "heartbeat", "token"), "log",
			List.of("id", "key", "value", "leader", "timestamp"), "chain",
			List.of("name", "chain", "version", "epoch", "members", "writer", "updated"), "crdt",
			SpannerReplicaSnapshotStore.columns());

	private SpannerSchema() {
	}

	/**
	 * What {@link #prepare} found.
	 * @param indexed whether the log's time index exists
	 * @param crdt whether the replicated data's table exists (optional: without it replicated data is neither
	 * durable nor pruned)
	 */
	record Prepared(boolean indexed, boolean crdt) {
	}

	/**
	 * Checks (and when asked, creates) the tables and the log index.
	 * @return what exists
	 */
	static Prepared prepare(DatabaseClient client, DatabaseAdminClient admin, DatabaseId database, TableNames tables,
			boolean initialize, Duration timeout) {
		Map<String, Set<String>> columns = columns(client);
		List<String> create = new ArrayList<>();
		List<String> statements = SchemaScript.statements(RESOURCE, tables);
		addIfMissing(columns, tables.lockTable(), statements.get(0), create);
		addIfMissing(columns, tables.logTable(), statements.get(1), create);
		addIfMissing(columns, tables.chainTable(), statements.get(3), create);
		if (initialize) {
			addIfMissing(columns, tables.crdtTable(), statements.get(4), create);
		}
		String index = indexName(tables);
		boolean indexed = indexExists(client, tables.logTable(), index);
		if (!indexed && (initialize || !create.isEmpty())) {
			create.add(statements.get(2));
		}
		if (!create.isEmpty()) {
			if (!initialize) {
				throw new HedgeConfigurationException("hedge.spanner.initialize-schema",
						"table(s) " + missingNames(columns, tables) + " missing in " + database.getName()
								+ "; create them with the DDL in classpath:" + RESOURCE
								+ " (see the README) or set hedge.spanner.initialize-schema=true");
			}
			logger.info("Creating hedge schema objects in {}: {}", database.getName(),
					create.stream().map((ddl) -> ddl.substring(0, ddl.indexOf('('))).toList());
			try {
				admin.updateDatabaseDdl(database.getInstanceId().getInstance(), database.getDatabase(), create, null)
					.get(Math.max(timeout.toMillis(), 60_000), TimeUnit.MILLISECONDS);
			}
			catch (ExecutionException ex) {
				if (!String.valueOf(ex.getCause()).contains("Duplicate name")) {
					throw new StoreException("could not create hedge tables in " + database.getName(), ex.getCause(),
							false);
				}
			}
			catch (TimeoutException ex) {
				throw new StoreException("creating hedge tables in " + database.getName() + " timed out", ex, true);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new StoreException("interrupted creating hedge tables", ex, false);
			}
			columns = columns(client);
			indexed = indexExists(client, tables.logTable(), index);
		}
		check(columns, tables.lockTable(), REQUIRED.get("lock"), "hedge.spanner.lock-table");
		check(columns, tables.logTable(), REQUIRED.get("log"), "hedge.spanner.log-table");
		check(columns, tables.chainTable(), REQUIRED.get("chain"), "hedge.spanner.lock-table");
		boolean crdt = columns.containsKey(tables.crdtTable().toLowerCase());
		if (crdt) {
			check(columns, tables.crdtTable(), REQUIRED.get("crdt"), "hedge.spanner.log-table");
		}
		else {
			logger.warn("Table {} is missing: replicated data is neither durable nor pruned. Create it with the last"
					+ " statement of classpath:{}, or set hedge.spanner.initialize-schema=true", tables.crdtTable(),
					RESOURCE);
		}
		if (!indexed) {
			logger.warn("Index {} on {} is missing: reads of a key read its whole history. Create it with the last"
					+ " statement of classpath:{}, or set hedge.spanner.initialize-schema=true", index,
					tables.logTable(), RESOURCE);
		}
		return new Prepared(indexed, crdt);
	}

	static String indexName(TableNames tables) {
		return tables.logTable() + "_by_time";
	}

	private static boolean indexExists(DatabaseClient client, String table, String index) {
		Statement query = Statement.newBuilder("SELECT COUNT(*) FROM INFORMATION_SCHEMA.INDEXES WHERE TABLE_SCHEMA = ''"
				+ " AND LOWER(TABLE_NAME) = LOWER(@table) AND LOWER(INDEX_NAME) = LOWER(@index)")
			.bind("table")
			.to(table)
			.bind("index")
			.to(index)
			.build();
		try (ResultSet rs = client.singleUse().executeQuery(query)) {
			return rs.next() && rs.getLong(0) > 0;
		}
	}

	private static void addIfMissing(Map<String, Set<String>> columns, String table, String ddl, List<String> create) {
		if (!columns.containsKey(table.toLowerCase())) {
			create.add(ddl);
		}
	}

	private static List<String> missingNames(Map<String, Set<String>> columns, TableNames tables) {
		List<String> missing = new ArrayList<>();
		for (String table : List.of(tables.lockTable(), tables.logTable(), tables.chainTable())) {
			if (!columns.containsKey(table.toLowerCase())) {
				missing.add(table);
			}
		}
		return missing;
	}

	private static void check(Map<String, Set<String>> columns, String table, List<String> required, String property) {
		Set<String> present = columns.getOrDefault(table.toLowerCase(), Set.of());
		List<String> missing = new ArrayList<>();
		for (String column : required) {
			if (!present.contains(column)) {
				missing.add(column);
			}
		}
		if (!missing.isEmpty()) {
			throw new HedgeConfigurationException(property, "table " + table + " lacks column(s) " + missing
					+ " that hedge needs; see classpath:" + RESOURCE);
		}
	}

	private static Map<String, Set<String>> columns(DatabaseClient client) {
		Map<String, Set<String>> columns = new HashMap<>();
		Statement query = Statement
			.of("SELECT TABLE_NAME, COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = ''");
		try (ResultSet rs = client.singleUse().executeQuery(query)) {
			while (rs.next()) {
				columns.computeIfAbsent(rs.getString(0).toLowerCase(), (k) -> new HashSet<>())
					.add(rs.getString(1).toLowerCase());
			}
		}
		return columns;
	}

}
