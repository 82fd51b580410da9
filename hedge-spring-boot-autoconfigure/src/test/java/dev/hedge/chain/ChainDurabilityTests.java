package dev.hedge.chain;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.hedge.HedgeNode;
import dev.hedge.store.HedgeStore;
import dev.hedge.store.mvstore.MvStoreChainStore;
import dev.hedge.testsupport.EmbeddedDatabaseExtension;
import dev.hedge.testsupport.EmbeddedTestDatabase;
import dev.hedge.testsupport.Ports;
import dev.hedge.testsupport.Stores;

import static dev.hedge.chain.ChainCluster.bytes;
import static dev.hedge.chain.ChainCluster.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What survives losing every chain member at once: with file stores (MVStore, {@code hedge.chain.directory}) the
 * members restart on their files with the same incarnations, resume their positions and serve every acknowledged
 * write (RPO 0); with in-memory stores the chain starts again empty (RPO: everything), as documented.
 */
@ExtendWith(EmbeddedDatabaseExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChainDurabilityTests {

	private final HedgeStore store;

	private final List<ChainCluster> clusters = new ArrayList<>();

	ChainDurabilityTests(EmbeddedTestDatabase database) {
		this.store = Stores.embedded(database);
	}

	@AfterEach
	void stop() {
		this.clusters.forEach(ChainCluster::close);
		this.clusters.clear();
	}

	@AfterAll
	void closeStore() {
		this.store.close();
	}

	@Test
	void aWholeChainOfFileStoresLostAtOnceRestartsWithEveryAcknowledgedWrite(@TempDir Path directory) {
		int[] ports = { Ports.free(), Ports.free(), Ports.free() };
		ChainCluster group = cluster((index) -> ChainOptions
			.enabled(MvStoreChainStore.storage(directory.resolve("m" + (index % 3)), ChainStoreOptions.DEFAULTS)));
		List<HedgeNode> nodes = new ArrayList<>();
		for (int port : ports) {
			nodes.add(group.start((builder) -> builder.listen("127.0.0.1", port)));
		}
		group.awaitChain(nodes);
		List<String> incarnations = nodes.stream().map((node) -> node.chain().state().self().incarnation()).toList();
		Map<String, Long> written = new HashMap<>();
		for (int i = 0; i < 300; i++) {
			written.put("durable-" + (i % 100), nodes.get(i % 3).chain().write("durable-" + (i % 100), bytes("v" + i)));
		}
		nodes.forEach((node) -> group.nodes().halt(node));

		List<HedgeNode> restarted = new ArrayList<>();
		for (int port : ports) {
			restarted.add(group.start((builder) -> builder.listen("127.0.0.1", port)));
		}
		group.awaitChain(restarted);
		assertThat(restarted.stream().map((node) -> node.chain().state().self().incarnation()).toList())
			.as("each member resumed its position with its data").isEqualTo(incarnations);
		for (HedgeNode node : restarted) {
			assertThat(node.chain().state().stats().catchUpKeys()).isZero();
			for (Map.Entry<String, Long> entry : written.entrySet()) {
				ChainValue value = node.chain().read(entry.getKey()).orElseThrow();
				assertThat(value.version()).isEqualTo(entry.getValue());
			}
		}
		assertThat(text(restarted.get(0).chain().read("durable-99").orElseThrow())).isEqualTo("v299");
	}

	@Test
	void aWholeChainOfMemoryStoresLostAtOnceStartsAgainEmpty() {
		ChainCluster group = cluster((index) -> ChainOptions.enabled(ChainStorage.inMemory(ChainStoreOptions.DEFAULTS)));
		List<HedgeNode> nodes = group.startChain(2);
		nodes.get(0).chain().write("volatile", bytes("gone"));
		long version = nodes.get(0).chain().state().config().version();
		nodes.forEach((node) -> group.nodes().halt(node));
		List<HedgeNode> restarted = group.startChain(2);
		assertThat(restarted.get(0).chain().state().config().version()).as("the same chain, continued")
			.isGreaterThan(version);
		assertThat(restarted.get(1).chain().read("volatile")).as("RPO with in-memory stores: everything").isEmpty();
		assertThat(restarted.get(1).chain().write("volatile", bytes("again"))).isEqualTo(1);
	}

	private ChainCluster cluster(java.util.function.Function<Integer, ChainOptions> options) {
		ChainCluster cluster = new ChainCluster(this.store, options);
		this.clusters.add(cluster);
		return cluster;
	}

}
