package dev.hedge.chaos.chain;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.hedge.HedgeNode;
import dev.hedge.NodeCrash;
import dev.hedge.chain.ChainMember;
import dev.hedge.chain.ChainOptions;
import dev.hedge.chain.ChainState;
import dev.hedge.chain.ChainStorage;
import dev.hedge.chain.ChainStoreOptions;
import dev.hedge.chain.ChainValue;
import dev.hedge.chaos.check.CheckResult;
import dev.hedge.chaos.check.LinearizabilityChecker;
import dev.hedge.chaos.history.Op;
import dev.hedge.election.ElectionOptions;
import dev.hedge.membership.MembershipOptions;
import dev.hedge.store.HedgeStore;
import dev.hedge.store.jdbc.JdbcHedgeStore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chain under crashes: four chain members (in one JVM, real gRPC on loopback, the embedded store, in-memory chain
 * stores), six clients writing unique values and reading linearizably on 16 keys through random members, while a
 * fault loop halts (as a SIGKILL would: no leave, no release) the head, a middle member, the tail and the leader (the
 * coordinator) in turn and starts a fresh member that catches up and joins. At least 10 000 operations and 2 kills of
 * each;
 * then the history must pass the chaos checker's linearizability search (C5, per key, unknown outcomes of writes
 * whose member died allowed to take effect or not), and every member must read every key at its last acknowledged
 * version or later, with the value acknowledged for that version (0 lost acknowledged writes).
 */
class ChainChaosIT {

	private static final int KEYS = 16;

	private static final int CLIENTS = 6;

	private static final int MIN_OPS = 10_000;

	private static final int KILLS_PER_ROLE = 2;

	private static final ElectionOptions ELECTION = ElectionOptions.builder().leaseDuration(Duration.ofSeconds(3))
		.build();

	private static final MembershipOptions MEMBERSHIP = new MembershipOptions(Duration.ofMillis(500),
			Duration.ofSeconds(2));

	private final String group = "chain-chaos-" + UUID.randomUUID().toString().substring(0, 8);

	private final List<HedgeNode> live = new CopyOnWriteArrayList<>();

	private final List<HedgeNode> all = new CopyOnWriteArrayList<>();

	private final ConcurrentLinkedQueue<Op> history = new ConcurrentLinkedQueue<>();

	/** Per key: acknowledged version to the value written with it. */
	private final Map<String, Map<Long, String>> acknowledged = new ConcurrentHashMap<>();

	private final AtomicLong opIds = new AtomicLong();

	@Test
	void crashesOfEveryRoleLeaveALinearizableHistoryAndLoseNoAcknowledgedWrite() throws Exception {
		Path directory = Files.createTempDirectory("hedge-chain-chaos-");
		HedgeStore store = JdbcHedgeStore.embedded(directory, true);
		AtomicBoolean stop = new AtomicBoolean();
		List<Thread> clients = new ArrayList<>();
		Map<String, Integer> kills = new HashMap<>();
		long begin = System.nanoTime();
		try {
			for (int i = 0; i < 4; i++) {
				this.live.add(start(store));
			}
			awaitChainOfLiveMembers();
			for (int c = 0; c < CLIENTS; c++) {
				int client = c;
				Thread thread = new Thread(() -> client(client, stop), "chain-chaos-client-" + c);
				clients.add(thread);
				thread.start();
			}
			List<String> roles = List.of("head", "middle", "tail", "leader");
			for (int round = 0; this.opIds.get() < MIN_OPS || round < roles.size() * KILLS_PER_ROLE; round++) {
				String role = roles.get(round % roles.size());
				HedgeNode victim = this.live.stream()
					.filter((node) -> role.equals("leader") ? node.isLeader()
							: node.chain().state().role().equals(role))
					.findFirst()
					.orElseThrow(() -> new AssertionError("no member is " + role));
				Thread.sleep(1500); // let the clients work on this chain before the next fault
				String killed = role.equals("leader") ? "leader as " + victim.chain().state().role()
						: role + (victim.isLeader() ? " (leader)" : "");
				this.live.remove(victim);
				NodeCrash.halt(victim);
				kills.merge(killed, 1, Integer::sum);
				this.live.add(start(store));
				awaitChainOfLiveMembers();
				assertThat(System.nanoTime() - begin).as("run time").isLessThan(Duration.ofMinutes(8).toNanos());
			}
		}
		finally {
			stop.set(true);
			for (Thread client : clients) {
				client.join(30_000);
			}
		}
		try {
			finalReads();
			long ops = this.history.size();
			CheckResult result = LinearizabilityChecker.registers(Duration.ofSeconds(30)).check(this.history);
			System.out.printf("[ChainChaosIT] %d ops (%d ok writes, %d unknown, %d ok reads) in %d s, kills %s: %s%n",
					ops, count(Op.PUT, Op.OK), this.history.stream()
						.filter((op) -> Op.PUT.equals(op.f()) && op.outcomeUnknown())
						.count(), count(Op.GET, Op.OK), (System.nanoTime() - begin) / 1_000_000_000L, kills,
					result.summary());
			assertThat(ops).isGreaterThanOrEqualTo(MIN_OPS);
			assertThat(result.ok()).as(result.toString()).isTrue();
		}
		finally {
			for (HedgeNode node : this.all) {
				node.close();
			}
			store.close();
		}
	}

	private HedgeNode start(HedgeStore store) {
		HedgeNode node = HedgeNode.builder(this.group)
			.store(store, false)
			.address("127.0.0.1")
			.listen("127.0.0.1", 0)
			.election(ELECTION)
			.membership(MEMBERSHIP)
			.chain(ChainOptions.enabled(ChainStorage.inMemory(ChainStoreOptions.DEFAULTS)))
			.build()
			.start();
		this.all.add(node);
		return node;
	}

	private void awaitChainOfLiveMembers() {
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
			List<String> ids = this.live.stream().map(HedgeNode::nodeId).sorted().toList();
			return this.live.stream().allMatch((node) -> {
				ChainState state = node.chain().state();
				return state.serving() && state.config().syncing() == null
						&& state.config().members().stream().map(ChainMember::id).sorted().toList().equals(ids);
			});
		});
	}

	private void client(int client, AtomicBoolean stop) {
		String process = "client-" + client;
		ThreadLocalRandom random = ThreadLocalRandom.current();
		for (long i = 0; !stop.get(); i++) {
			HedgeNode node = this.live.get(random.nextInt(this.live.size()));
			String key = "k" + random.nextInt(KEYS);
			long opId = this.opIds.incrementAndGet();
			long invoked = System.nanoTime();
			if (random.nextBoolean()) {
				String value = process + "-" + i;
				try {
					long version = node.chain().write(key, value.getBytes());
					this.history.add(Op.put(process, opId, key, value, invoked, System.nanoTime(), Op.OK));
					this.acknowledged.computeIfAbsent(key, (k) -> new ConcurrentHashMap<>()).put(version, value);
				}
				catch (RuntimeException ex) {
					this.history.add(Op.put(process, opId, key, value, invoked, Long.MAX_VALUE, Op.INFO));
				}
			}
			else {
				try {
					Optional<ChainValue> read = node.chain().read(key);
					this.history.add(Op.get(process, opId, key, read.map((v) -> new String(v.value())).orElse(null),
							invoked, System.nanoTime(), Op.OK));
				}
				catch (RuntimeException ex) {
					this.history.add(Op.get(process, opId, key, null, invoked, System.nanoTime(), Op.FAIL));
				}
			}
		}
	}

	/** Every live member reads every key: its last acknowledged version or later, with the acknowledged value. */
	private void finalReads() {
		for (HedgeNode node : this.live) {
			for (int k = 0; k < KEYS; k++) {
				String key = "k" + k;
				long invoked = System.nanoTime();
				Optional<ChainValue> read = node.chain().read(key);
				this.history.add(Op.get("final-" + node.nodeId(), this.opIds.incrementAndGet(), key,
						read.map((v) -> new String(v.value())).orElse(null), invoked, System.nanoTime(), Op.OK));
				Map<Long, String> acked = this.acknowledged.getOrDefault(key, Map.of());
				long newest = acked.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
				long version = read.map(ChainValue::version).orElse(0L);
				assertThat(version).as("%s on %s", key, node.nodeId()).isGreaterThanOrEqualTo(newest);
				if (acked.containsKey(version)) {
					assertThat(new String(read.orElseThrow().value())).isEqualTo(acked.get(version));
				}
			}
		}
	}

	private long count(String f, String type) {
		return this.history.stream().filter((op) -> f.equals(op.f()) && type.equals(op.type())).count();
	}

}
