package dev.hedge.store.spanner;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.Key;
import com.google.cloud.spanner.Mutation;
import com.google.cloud.spanner.ReadContext;
import com.google.cloud.spanner.Struct;
import com.google.cloud.spanner.Value;

import dev.hedge.chain.ChainConfig;
import dev.hedge.chain.ChainConfigConflictException;
import dev.hedge.chain.ChainConfigStore;
import dev.hedge.election.Fence;

/**
 * {@link ChainConfigStore} on Spanner: a write reads the lease row (the fence) and the configuration row in one
 * read-write transaction and buffers the new row only if the stored version is the previous one; a concurrent
 * takeover or configuration write conflicts with it and the client re-runs the whole callback, conditions included.
 */
final class SpannerChainConfigStore implements ChainConfigStore {

	private static final List<String> COLUMNS = List.of("version", "epoch", "members");

	private final DatabaseClient client;

	private final SpannerCalls calls;

	private final String lockTable;

	private final String chainTable;

	SpannerChainConfigStore(DatabaseClient client, SpannerCalls calls, String lockTable, String chainTable) {
		this.client = client;
		this.calls = calls;
		this.lockTable = lockTable;
		this.chainTable = chainTable;
	}

	@Override
	public Optional<ChainConfig> read(String group, String chain, Duration timeout) {
		return this.calls.call("chain configuration read", timeout, () -> {
			try (ReadContext read = this.client.singleUse()) {
				return config(read.readRow(this.chainTable, Key.of(group, chain), COLUMNS));
			}
		});
	}

	private static Optional<ChainConfig> config(Struct row) {
		if (row == null) {
			return Optional.empty();
		}
		return Optional.of(ChainConfig.parse(row.getLong("version"), row.getLong("epoch"), row.getString("members")));
	}

	@Override
	public void write(Fence fence, String chain, ChainConfig config, String writer, Duration timeout) {
		String group = fence.lockName();
		this.calls.call("chain configuration write", timeout, () -> this.client.readWriteTransaction().run((tx) -> {
			SpannerFence.check(tx, this.lockTable, fence);
			long stored = config(tx.readRow(this.chainTable, Key.of(group, chain), COLUMNS)).map(ChainConfig::version)
				.orElse(0L);
			if (stored != config.version() - 1) {
				throw new ChainConfigConflictException(group, chain, config.version(), stored);
			}
			tx.buffer(Mutation.newInsertOrUpdateBuilder(this.chainTable)
				.set("name")
				.to(group)
				.set("chain")
				.to(chain)
				.set("version")
				.to(config.version())
				.set("epoch")
				.to(config.epoch())
				.set("members")
				.to(config.membersText())
				.set("writer")
				.to(writer)
				.set("updated")
				.to(Value.COMMIT_TIMESTAMP)
				.build());
			return null;
		}));
	}

}
