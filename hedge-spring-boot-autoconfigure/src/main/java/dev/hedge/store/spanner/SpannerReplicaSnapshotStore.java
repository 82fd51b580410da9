package dev.hedge.store.spanner;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import com.google.cloud.ByteArray;
import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.Key;
import com.google.cloud.spanner.Mutation;
import com.google.cloud.spanner.ResultSet;
import com.google.cloud.spanner.Statement;
import com.google.cloud.spanner.Struct;

import dev.hedge.replicator.ReplicaSnapshotStore;

/**
 * {@link ReplicaSnapshotStore} on Spanner, in table {@code <log table>_crdt}: appends are blind inserts committed in
 * transactions of at most {@value #MAX_BYTES_PER_COMMIT} bytes (Spanner caps a commit at 100 MB), reads one
 * query, deletes a primary-key range, and a pruning record is read and inserted in one read-write transaction
 * (re-run by the client when aborted). Pruning records are rows of replica {@value #PRUNING} plus the pruned
 * replica's id (sequence 0, part 0, the pruner's id as data), skipped by reads of the data rows. Thread-safe.
 */
final class SpannerReplicaSnapshotStore implements ReplicaSnapshotStore {

	static final String PRUNING = "~pruning/";

	static final int MAX_BYTES_PER_COMMIT = 16 << 20;

	private static final List<String> COLUMNS = List.of("group_name", "replica", "seq", "part", "data");

	private final DatabaseClient client;

	private final SpannerCalls calls;

	private final String table;

	SpannerReplicaSnapshotStore(DatabaseClient client, SpannerCalls calls, String table) {
		this.client = client;
		this.calls = calls;
		this.table = table;
	}

	private Mutation row(String group, String replica, long sequence, int part, byte[] data) {
		return Mutation.newInsertOrUpdateBuilder(this.table)
			.set("group_name")
			.to(group)
			.set("replica")
			.to(replica)
			.set("seq")
			.to(sequence)
			.set("part")
			.to(part)
			.set("data")
			.to(ByteArray.copyFrom(data))
			.build();
	}

	@Override
	public void append(String group, String replica, long sequence, List<byte[]> parts, Duration timeout) {
		List<Mutation> commit = new ArrayList<>();
		long bytes = 0;
		for (int part = 0; part < parts.size(); part++) {
			if (!commit.isEmpty() && bytes + parts.get(part).length > MAX_BYTES_PER_COMMIT) {
				write(commit, timeout);
				commit = new ArrayList<>();
				bytes = 0;
			}
			commit.add(row(group, replica, sequence, part, parts.get(part)));
			bytes += parts.get(part).length;
		}
		if (!commit.isEmpty()) {
			write(commit, timeout);
		}
	}

	private void write(List<Mutation> mutations, Duration timeout) {
		this.calls.call("replicated data append", timeout, () -> this.client.write(mutations));
	}

	@Override
	public void readAll(String group, Consumer<Row> rows, Duration timeout) {
		Statement query = Statement
			.newBuilder("SELECT replica, seq, part, data FROM " + this.table + " WHERE group_name = @group")
			.bind("group")
			.to(group)
			.build();
		this.calls.call("replicated data read", timeout, () -> {
			try (ResultSet rs = this.client.singleUse().executeQuery(query)) {
				while (rs.next()) {
					String replica = rs.getString(0);
					if (!replica.startsWith(PRUNING)) {
						rows.accept(new Row(replica, rs.getLong(1), (int) rs.getLong(2), rs.getBytes(3).toByteArray()));
					}
				}
			}
			return null;
		});
	}

	@Override
	public int deleteUpTo(String group, String replica, long sequence, Duration timeout) {
		Statement delete = Statement
			.newBuilder("DELETE FROM " + this.table + " WHERE group_name = @group AND replica = @replica"
					+ " AND seq <= @seq")
			.bind("group")
			.to(group)
			.bind("replica")
			.to(replica)
			.bind("seq")
			.to(sequence)
			.build();
		Long deleted = this.calls.call("replicated data delete", timeout,
				() -> this.client.readWriteTransaction().run((tx) -> tx.executeUpdate(delete)));
		return (deleted != null) ? deleted.intValue() : 0;
	}

	@Override
	public String decidePruning(String group, String removed, String pruner, Duration timeout) {
		String replica = PRUNING + removed;
		return this.calls.call("pruning record", timeout, () -> this.client.readWriteTransaction().run((tx) -> {
			Struct existing = tx.readRow(this.table, Key.of(group, replica, 0L, 0L), List.of("data"));
			if (existing != null) {
				return new String(existing.getBytes(0).toByteArray(), StandardCharsets.UTF_8);
			}
			tx.buffer(row(group, replica, 0, 0, pruner.getBytes(StandardCharsets.UTF_8)));
			return pruner;
		}));
	}

	/** The columns, for the schema check. */
	static List<String> columns() {
		return COLUMNS;
	}

}
