package dev.hedge.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.hedge.HedgeNode;
import dev.hedge.TestNodes;
import dev.hedge.common.NotRunningException;
import dev.hedge.membership.MembershipChange;
import dev.hedge.store.HedgeStore;
import dev.hedge.testsupport.Timing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Five real nodes (own gRPC servers on loopback, one store) in one JVM: send, broadcast, membership joins and
 * deaths, and sends across a leader change. Run on every backend by subclasses.
 */
abstract class AbstractMessagingClusterTests {

	private final HedgeStore store;

	private TestNodes nodes;

	AbstractMessagingClusterTests(HedgeStore store) {
		this.store = store;
	}

	@AfterEach
	void stopNodes() {
		if (this.nodes != null) {
			this.nodes.close();
		}
	}

	@AfterAll
	void closeStore() {
		this.store.close();
	}

	static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	static String text(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

	private HedgeNode startNode(Map<String, List<MembershipChange>> events) {
		HedgeNode node = this.nodes.start((builder) -> builder
			.leaderHandler((message) -> bytes("hello " + text(message.payload())))
			.broadcastHandler((message) -> bytes("broadcast " + text(message.payload()))));
		List<MembershipChange> changes = new CopyOnWriteArrayList<>();
		events.put(node.nodeId(), changes);
		node.membership().addListener(changes::add);
		return node;
	}

	private List<HedgeNode> startCluster(int size, Map<String, List<MembershipChange>> events) {
		this.nodes = new TestNodes(this.store);
		List<HedgeNode> started = new ArrayList<>();
		for (int i = 0; i < size; i++) {
			started.add(startNode(events));
		}
		Set<String> ids = started.stream().map(HedgeNode::nodeId).collect(Collectors.toSet());
		await().atMost(Timing.seconds(15))
			.until(() -> this.nodes.leader().isPresent()
					&& started.stream().allMatch((n) -> Set.copyOf(n.members()).equals(ids)));
		return started;
	}

	@Test
	void sendFromEveryNodeReachesTheLeaderAndBroadcastAnswersOncePerMember() {
		List<HedgeNode> cluster = startCluster(5, new ConcurrentHashMap<>());
		HedgeNode leader = this.nodes.leader().orElseThrow();
		for (HedgeNode node : cluster) {
			assertThat(text(node.send(bytes("from " + node.nodeId())))).isEqualTo("hello from " + node.nodeId());
			assertThat(node.leaderId()).contains(leader.nodeId());
		}
		for (HedgeNode node : cluster) {
			List<BroadcastResult> results = node.broadcast(bytes("ping"));
			assertThat(results).hasSize(5);
			assertThat(results).allSatisfy((r) -> {
				assertThat(r.ok()).as("result of %s", r.member()).isTrue();
				assertThat(text(r.reply())).isEqualTo("broadcast ping");
			});
			assertThat(results.stream().map(BroadcastResult::member).collect(Collectors.toSet()))
				.isEqualTo(Set.copyOf(node.members()));
		}
		HedgeNode follower = this.nodes.followers().get(0);
		BroadcastOptions others = BroadcastOptions.all().skippingSelf();
		assertThat(follower.messenger().broadcast(bytes("x"), others)).hasSize(4)
			.noneMatch((r) -> r.member().equals(follower.nodeId()));
		Set<String> two = Set.of(leader.nodeId(), "10.9.9.9:1");
		assertThat(follower.messenger().broadcast(bytes("x"), BroadcastOptions.all().onlyTo(two)))
			.extracting(BroadcastResult::member)
			.containsExactly(leader.nodeId());
	}

	@Test
	void leaderSendingToItselfCallsItsHandlerOnTheCallersThread() {
		this.nodes = new TestNodes(this.store);
		AtomicBoolean sameThread = new AtomicBoolean();
		Thread caller = Thread.currentThread();
		HedgeNode node = this.nodes.start((builder) -> builder.leaderHandler((message) -> {
			sameThread.set(Thread.currentThread() == caller);
			return bytes("local");
		}));
		await().atMost(Timing.seconds(10)).until(node::isLeader);
		assertThat(text(node.send(bytes("me")))).isEqualTo("local");
		assertThat(sameThread).isTrue();
	}

	@Test
	void membersJoinWithinTwoIntervalsAndDeadOnesLeaveWithinTimeoutPlusOneIntervalWithOneEventEach() {
		Map<String, List<MembershipChange>> events = new ConcurrentHashMap<>();
		List<HedgeNode> cluster = startCluster(4, events);
		Duration interval = TestNodes.MEMBERSHIP.heartbeatInterval();
		events.values().forEach(List::clear);

		HedgeNode joiner = startNode(events);
		long joined = System.nanoTime();
		await().atMost(interval.multipliedBy(2))
			.pollInterval(Duration.ofMillis(10))
			.until(() -> cluster.stream().allMatch((n) -> n.members().contains(joiner.nodeId())));
		System.out.printf("[%s] new member in every list after %d ms (interval %d ms)%n", getClass().getSimpleName(),
				(System.nanoTime() - joined) / 1_000_000, interval.toMillis());
		await().atMost(Timing.seconds(2)).until(() -> cluster.stream()
			.allMatch((n) -> events.get(n.nodeId()).stream().anyMatch((c) -> c.added().contains(joiner.nodeId()))));
		for (HedgeNode node : cluster) {
			assertThat(events.get(node.nodeId())).as("join events on %s", node.nodeId())
				.filteredOn((c) -> c.added().contains(joiner.nodeId()))
				.hasSize(1);
		}

		HedgeNode victim = this.nodes.followers().stream().filter((n) -> n != joiner).findFirst().orElseThrow();
		String victimId = victim.nodeId();
		this.nodes.halt(victim);
		long died = System.nanoTime();
		List<HedgeNode> survivors = this.nodes.running();
		BroadcastResult deadResult = survivors.get(0)
			.messenger()
			.broadcast(bytes("are you there"), BroadcastOptions.all())
			.stream()
			.filter((r) -> r.member().equals(victimId))
			.findFirst()
			.orElseThrow();
		assertThat(deadResult.ok()).isFalse();
		assertThat(deadResult.error()).isInstanceOf(MemberUnavailableException.class);
		Duration bound = TestNodes.MEMBERSHIP.memberTimeout().plus(interval);
		await().atMost(bound.plus(Timing.seconds(0.5)))
			.pollInterval(Duration.ofMillis(10))
			.until(() -> survivors.stream().noneMatch((n) -> n.members().contains(victimId)));
		long took = (System.nanoTime() - died) / 1_000_000;
		System.out.printf("[%s] dead member left every list after %d ms (bound %d ms)%n", getClass().getSimpleName(),
				took, bound.toMillis());
		await().atMost(Timing.seconds(2)).until(() -> survivors.stream()
			.allMatch((n) -> events.get(n.nodeId()).stream().anyMatch((c) -> c.removed().contains(victimId))));
		for (HedgeNode node : survivors) {
			assertThat(events.get(node.nodeId())).as("leave events on %s", node.nodeId())
				.filteredOn((c) -> c.removed().contains(victimId))
				.hasSize(1);
		}
	}

	@Test
	void sendsAcrossLeaderChangesSucceedOrFailTypedWithinTheirDeadline() throws Exception {
		startCluster(5, new ConcurrentHashMap<>());
		List<HedgeNode> callers = this.nodes.followers().subList(0, 2);
		AtomicBoolean stop = new AtomicBoolean();
		AtomicInteger ok = new AtomicInteger();
		Map<String, Integer> failures = new ConcurrentHashMap<>();
		List<String> overran = new CopyOnWriteArrayList<>();
		SendOptions policy = TestNodes.MESSAGING.sendRetry();
		ExecutorService pool = Executors.newFixedThreadPool(4);
		List<Future<?>> loops = new ArrayList<>();
		for (HedgeNode caller : callers) {
			for (int t = 0; t < 2; t++) {
				loops.add(pool.submit(() -> {
					int i = 0;
					while (!stop.get()) {
						long start = System.nanoTime();
						try {
							String reply = text(caller.messenger().sendToLeader(bytes("m" + i++), policy));
							assertThat(reply).startsWith("hello m");
							ok.incrementAndGet();
						}
						catch (MessagingException ex) {
							failures.merge(ex.getClass().getSimpleName(), 1, Integer::sum);
						}
						catch (NotRunningException ex) {
							// this caller was the leader closed below: it fails typed, and its loop ends
							failures.merge(ex.getClass().getSimpleName(), 1, Integer::sum);
							return;
						}
						long took = System.nanoTime() - start;
						if (took > policy.deadline().plusSeconds(1).toNanos()) {
							overran.add(took / 1_000_000 + " ms");
						}
					}
				}));
			}
		}
		for (int change = 0; change < 2; change++) {
			HedgeNode leader = this.nodes.leader().orElseThrow();
			int before = ok.get();
			if (change == 0) {
				this.nodes.halt(leader);
			}
			else {
				leader.close();
			}
			await().atMost(Timing.seconds(15)).until(() -> this.nodes.leader().isPresent() && ok.get() > before + 20);
		}
		stop.set(true);
		for (Future<?> loop : loops) {
			loop.get(policy.deadline().plusSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
		}
		pool.shutdownNow();
		System.out.printf("[%s] sends across 2 leader changes: %d ok, failures %s, overran %s%n",
				getClass().getSimpleName(), ok.get(), failures, overran);
		assertThat(overran).as("calls that overran their deadline").isEmpty();
		assertThat(ok.get()).isGreaterThan(50);
	}

	@Test
	void gracefulCloseOfTheLeaderHandsOverInUnderASecondAtTheDefaultPollInterval() throws Exception {
		this.nodes = new TestNodes(this.store, dev.hedge.testsupport.ElectionCluster.TEST_OPTIONS.toBuilder()
			.pollInterval(Duration.ofSeconds(1))
			.build());
		List<HedgeNode> cluster = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			cluster.add(this.nodes.start((builder) -> {
			}));
		}
		await().atMost(Timing.seconds(15))
			.until(() -> this.nodes.leader().isPresent() && cluster.stream().allMatch((n) -> n.members().size() == 3));
		Map<String, Long> handovers = new HashMap<>();
		ExecutorService closer = Executors.newSingleThreadExecutor();
		try {
			for (int round = 0; round < 2; round++) {
				HedgeNode leader = this.nodes.leader().orElseThrow();
				// measured from the close() call, which runs on its own thread: a new leader must exist before
				// close() has even finished its goodbyes
				long closing = System.nanoTime();
				Future<?> closed = closer.submit(leader::close);
				await().atMost(Timing.seconds(5))
					.pollInterval(Duration.ofMillis(5))
					.until(() -> this.nodes.leader().filter((n) -> n != leader).isPresent());
				handovers.put(this.nodes.leader().get().nodeId(), (System.nanoTime() - closing) / 1_000_000);
				closed.get(30, TimeUnit.SECONDS);
				this.nodes.start((builder) -> {
				});
			}
		}
		finally {
			closer.shutdownNow();
		}
		System.out.printf("[%s] graceful handovers with P=1s (ms from close() to a new leader): %s%n",
				getClass().getSimpleName(), handovers.values());
		assertThat(handovers.values()).as("ms from close() to a new leader").allMatch((ms) -> ms < 1000);
	}

}
