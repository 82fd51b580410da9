package dev.hedge.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import dev.hedge.election.ElectionOptions;
import dev.hedge.election.LeaderElector;
import dev.hedge.election.LeaseStore;

/**
 * N electors on one lease store in one JVM, each behind its own {@link FaultyLeaseStore} so a test can cut one off,
 * all recording into one {@link LeadershipHistory}.
 */
public final class ElectionCluster implements AutoCloseable {

	/** Timings the cluster tests use: L 3 s, R 1 s, P 0.5 s, G 1 s, ρ 1 %, M 250 ms. */
	public static final ElectionOptions TEST_OPTIONS = ElectionOptions.builder()
		.leaseDuration(Duration.ofSeconds(3))
		.renewInterval(Duration.ofSeconds(1))
		.pollInterval(Duration.ofMillis(500))
		.grace(Duration.ofSeconds(1))
		.clockDrift(0.01)
		.safetyMargin(Duration.ofMillis(250))
		.storeTimeout(Duration.ofSeconds(2))
		.build();

	private final LeaseStore store;

	private final String lock;

	private final ElectionOptions options;

	private final LeadershipHistory history = new LeadershipHistory();

	private final List<Node> nodes = new ArrayList<>();

	private final AtomicInteger ids = new AtomicInteger();

	public ElectionCluster(LeaseStore store, ElectionOptions options) {
		this.store = store;
		this.options = options;
		this.lock = "cluster-" + UUID.randomUUID();
	}

	public LeadershipHistory history() {
		return this.history;
	}

	public ElectionOptions options() {
		return this.options;
	}

	public String lock() {
		return this.lock;
	}

	/**
	 * Starts a new node.
	 * @return the node
	 */
	public synchronized Node start() {
		FaultyLeaseStore faulty = new FaultyLeaseStore(this.store);
		LeaderElector elector = new LeaderElector(this.lock, "127.0.0.1:" + (20000 + this.ids.incrementAndGet()), faulty,
				this.options);
		elector.addListener(this.history.listener());
		Node node = new Node(elector, faulty);
		this.nodes.add(node);
		elector.start();
		return node;
	}

	/**
	 * Nodes not yet stopped.
	 * @return the running nodes
	 */
	public synchronized List<Node> running() {
		return this.nodes.stream().filter((n) -> !n.stopped).toList();
	}

	/**
	 * The running nodes that believe they lead.
	 * @return the leaders (at most one, if the election is correct)
	 */
	public List<Node> leaders() {
		return running().stream().filter((n) -> n.elector.isLeader()).toList();
	}

	/**
	 * The single leader, if exactly one running node leads.
	 * @return the leader
	 */
	public Optional<Node> leader() {
		List<Node> leaders = leaders();
		return (leaders.size() == 1) ? Optional.of(leaders.get(0)) : Optional.empty();
	}

	@Override
	public synchronized void close() {
		for (Node node : this.nodes) {
			node.faulty.heal();
			node.stop();
		}
	}

	/** One elector and its switchable store. */
	public static final class Node {

		public final LeaderElector elector;

		public final FaultyLeaseStore faulty;

		volatile boolean stopped;

		Node(LeaderElector elector, FaultyLeaseStore faulty) {
			this.elector = elector;
			this.faulty = faulty;
		}

		public String id() {
			return this.elector.nodeId();
		}

		/** Graceful stop: revoke, release, stop threads. */
		public void stop() {
			this.stopped = true;
			this.elector.close();
		}

		/** Abrupt stop: the store is cut first, so nothing (release included) reaches it. */
		public void crash() {
			this.faulty.cut();
			this.stopped = true;
			Thread closer = new Thread(this.elector::close, "test-crash-" + id());
			closer.setDaemon(true);
			closer.start();
		}

		@Override
		public String toString() {
			return id();
		}

	}

}
