package dev.hedge;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

import dev.hedge.election.ElectionOptions;
import dev.hedge.membership.MembershipOptions;
import dev.hedge.messaging.MessagingOptions;
import dev.hedge.messaging.SendOptions;
import dev.hedge.store.HedgeStore;
import dev.hedge.testsupport.ElectionCluster;

/**
 * Real hedge nodes in one JVM: each with its own gRPC server on 127.0.0.1, all on one store and one group.
 */
public final class TestNodes implements AutoCloseable {

	/** Membership timings of the tests: heartbeat every 500 ms, remove after 2 s. */
	public static final MembershipOptions MEMBERSHIP = new MembershipOptions(Duration.ofMillis(500),
			Duration.ofSeconds(2));

	/** Messaging deadlines of the tests. */
	public static final MessagingOptions MESSAGING = new MessagingOptions(Duration.ofSeconds(3), Duration.ofSeconds(30),
			new SendOptions(0, Duration.ofSeconds(12), Duration.ofMillis(50), Duration.ofMillis(500)));

	private final HedgeStore store;

	private final String group;

	private final ElectionOptions election;

	private final List<HedgeNode> nodes = new ArrayList<>();

	public TestNodes(HedgeStore store) {
		this(store, ElectionCluster.TEST_OPTIONS);
	}

	public TestNodes(HedgeStore store, ElectionOptions election) {
		this.store = store;
		this.election = election;
		this.group = "g-" + UUID.randomUUID().toString().substring(0, 8);
	}

	public String group() {
		return this.group;
	}

	/**
	 * Starts a node with the default test settings, customised by {@code customizer}.
	 * @param customizer adds handlers and options
	 * @return the started node
	 */
	public synchronized HedgeNode start(Consumer<HedgeNode.Builder> customizer) {
		HedgeNode.Builder builder = HedgeNode.builder(this.group)
			.store(this.store, false)
			.address("127.0.0.1")
			.listen("127.0.0.1", 0)
			.election(this.election)
			.membership(MEMBERSHIP)
			.messaging(MESSAGING);
		customizer.accept(builder);
		HedgeNode node = builder.build().start();
		this.nodes.add(node);
		return node;
	}

	/**
	 * Starts {@code size} nodes and waits until one leads and every node lists all of them.
	 * @param size how many
	 * @param customizer applied to each node's builder
	 * @return the nodes
	 */
	public List<HedgeNode> startAll(int size, Consumer<HedgeNode.Builder> customizer) {
		List<HedgeNode> started = new ArrayList<>();
		for (int i = 0; i < size; i++) {
			started.add(start(customizer));
		}
		org.awaitility.Awaitility.await()
			.atMost(dev.hedge.testsupport.Timing.seconds(15))
			.until(() -> leader().isPresent() && started.stream().allMatch((n) -> n.members().size() == size));
		return started;
	}

	public synchronized List<HedgeNode> running() {
		return this.nodes.stream().filter(HedgeNode::isRunning).toList();
	}

	public Optional<HedgeNode> leader() {
		List<HedgeNode> leaders = running().stream().filter(HedgeNode::isLeader).toList();
		return (leaders.size() == 1) ? Optional.of(leaders.get(0)) : Optional.empty();
	}

	public List<HedgeNode> followers() {
		return running().stream().filter((n) -> !n.isLeader()).toList();
	}

	/** Stops a node as if its process died. */
	public void halt(HedgeNode node) {
		node.halt();
	}

	@Override
	public synchronized void close() {
		for (HedgeNode node : this.nodes) {
			node.close();
		}
	}

}
