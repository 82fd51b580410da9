package dev.hedge.chain;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.hedge.HedgeNode;
import dev.hedge.TestNodes;
import dev.hedge.store.HedgeStore;
import dev.hedge.testsupport.Timing;

import static org.awaitility.Awaitility.await;

/**
 * Real hedge nodes with their chain enabled, on one store, over real gRPC on loopback, and the waits the chain tests
 * need (a chain of n serving members that every node holds).
 */
final class ChainCluster implements AutoCloseable {

	private final TestNodes nodes;

	private final Function<Integer, ChainOptions> options;

	private int started;

	ChainCluster(HedgeStore store) {
		this(store, (index) -> ChainOptions.enabled(ChainStorage.inMemory(ChainStoreOptions.DEFAULTS)));
	}

	ChainCluster(HedgeStore store, Function<Integer, ChainOptions> options) {
		this.nodes = new TestNodes(store);
		this.options = options;
	}

	TestNodes nodes() {
		return this.nodes;
	}

	/** Starts a node with its chain enabled. */
	HedgeNode start() {
		return start((builder) -> {
		});
	}

	HedgeNode start(Consumer<HedgeNode.Builder> customizer) {
		ChainOptions chain = this.options.apply(this.started++);
		return this.nodes.start((builder) -> {
			builder.chain(chain);
			customizer.accept(builder);
		});
	}

	/** Starts {@code size} nodes and waits until the chain serves on all of them. */
	List<HedgeNode> startChain(int size) {
		return startChain(size, (builder) -> {
		});
	}

	/** Starts {@code size} nodes, each customised, and waits until the chain serves on all of them. */
	List<HedgeNode> startChain(int size, Consumer<HedgeNode.Builder> customizer) {
		List<HedgeNode> all = new ArrayList<>();
		for (int i = 0; i < size; i++) {
			all.add(start(customizer));
		}
		awaitChain(all);
		return all;
	}

	/** Waits until every given node holds one configuration of exactly these serving members and serves. */
	void awaitChain(List<HedgeNode> members) {
		await().atMost(Timing.seconds(20)).until(() -> servingChainOf(members));
	}

	static boolean servingChainOf(List<HedgeNode> members) {
		List<String> ids = members.stream().map(HedgeNode::nodeId).sorted().toList();
		long version = -1;
		for (HedgeNode node : members) {
			ChainState state = node.chain().state();
			List<String> serving = state.config().members().stream().map(ChainMember::id).sorted().toList();
			if (!serving.equals(ids) || state.config().syncing() != null || !state.serving()
					|| (version >= 0 && state.config().version() != version)) {
				return false;
			}
			version = state.config().version();
		}
		return true;
	}

	/** The running node in a role of the chain, as the given node sees it. */
	Optional<HedgeNode> inRole(String role) {
		return this.nodes.running().stream().filter((node) -> node.chain().state().role().equals(role)).findFirst();
	}

	List<HedgeNode> running() {
		return this.nodes.running();
	}

	static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	static String text(ChainValue value) {
		return new String(value.value(), StandardCharsets.UTF_8);
	}

	@Override
	public void close() {
		this.nodes.close();
	}

}
