package dev.hedge.replicator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.hedge.HedgeNode;
import dev.hedge.TestNodes;
import dev.hedge.crdt.GSet;
import dev.hedge.crdt.PNCounter;
import dev.hedge.store.HedgeStore;
import dev.hedge.testsupport.EmbeddedDatabaseExtension;
import dev.hedge.testsupport.EmbeddedTestDatabase;
import dev.hedge.testsupport.FaultProxy;
import dev.hedge.testsupport.Stores;
import dev.hedge.testsupport.Timing;
import dev.hedge.transport.grpc.GrpcLimits;
import dev.hedge.transport.grpc.proto.CrdtBatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Membership changes seen by the replicated data, on real members over real gRPC (loopback, embedded store): a
 * joining member pulls a full state larger than the transport's message size in chunks; the leader prunes the
 * replicas of members that left (two at once, then ten short-lived ones) without changing a value, so the replica
 * slots follow the live members; and an ALL write with a member cut off fails with a
 * {@link ReplicationTimeoutException} within its timeout while a MAJORITY write succeeds, the failed write's update
 * staying applied and spreading exactly once after the heal.
 */
@ExtendWith(EmbeddedDatabaseExtension.class)
class ReplicatorMembershipClusterTests {

	private static final DataType<GSet<String>> USERS = DataType.growOnlySet(String.class);

	private static final DataType<PNCounter> COUNTER = DataType.counter();

	private static final Duration GOSSIP = Duration.ofMillis(500);

	private final HedgeStore store;

	private final List<FaultProxy> proxies = new ArrayList<>();

	private TestNodes nodes;

	ReplicatorMembershipClusterTests(EmbeddedTestDatabase database) {
		this.store = Stores.embedded(database);
	}

	@AfterEach
	void stop() {
		if (this.nodes != null) {
			this.nodes.close();
		}
		this.proxies.forEach(FaultProxy::close);
		this.store.close();
	}

	/**
	 * Three members hold likes over 200 posts (6 000 likes) and view counters; the state is several times the chunk
	 * budget of a 32 KiB message cap, and the likes map alone is larger than one message. A fourth member starts and
	 * must hold exactly the same values within 3 s: it is listed by the others within a heartbeat (500 ms), which
	 * marks it to repair at the next delta tick (50 ms), and else it is picked by an anti-entropy round within a
	 * gossip interval (500 ms) of its own or of the others. With every bucket differing, a digest answer under the
	 * cap covers about 23 of the 256 buckets (12 KiB of 64 leaf hashes each), so the repair takes about 12 rounds,
	 * one per delta tick (about 0.6 s, each shipping its parts in chunks): a heartbeat, a gossip interval and these
	 * rounds fit in 3 s with room to spare. Before the digest answer was capped, it (over 100 KB) exceeded the
	 * message size and the new member never received anything.
	 */
	@Test
	void aJoiningMemberPullsTheWholeStateInChunks() {
		this.nodes = new TestNodes(this.store);
		GrpcLimits limits = GrpcLimits.DEFAULTS.withMaxMessageBytes(32 * 1024);
		Consumer<HedgeNode.Builder> settings = (builder) -> builder.limits(limits)
			.replicatedData(ReplicatorOptions.builder()
				.deltaInterval(Duration.ofMillis(50))
				.gossipInterval(GOSSIP)
				.build());
		List<HedgeNode> cluster = new ArrayList<>(this.nodes.startAll(3, settings));
		for (int m = 0; m < cluster.size(); m++) {
			Replicator replicator = cluster.get(m).replicator();
			ReplicatedMap<String, GSet<String>> likes = replicator.map("likes", String.class, USERS);
			ReplicatedMap<String, PNCounter> views = replicator.map("views", String.class, COUNTER);
			for (int post = 0; post < 200; post++) {
				for (int user = 0; user < 10; user++) {
					String name = "user-" + m + "-" + user;
					likes.update("post-" + post, (users, r) -> users.add(name));
				}
				int n = post + m + 1;
				views.update("post-" + post, (counter, r) -> counter.increment(r, n));
			}
			replicator.counter("visits").increment(1000 + m);
		}
		await().atMost(Timing.seconds(10)).until(() -> ReplicatorPartitionTests.sameValues(cluster));

		DefaultReplicator first = (DefaultReplicator) cluster.get(0).replicator();
		int budget = first.chunkBudget();
		List<Codec.Named> state = new ArrayList<>();
		first.names().forEach((name, type) -> state.add(named(first, name, type)));
		List<CrdtBatch> batches = Chunker.batches(budget, state);
		long bytes = batches.stream().mapToLong(CrdtBatch::getSerializedSize).sum();
		int likesBytes = new Codec.Batch()
			.entry("likes", DataType.map(String.class, USERS), first.get("likes", DataType.map(String.class, USERS))
				.orElseThrow())
			.getSerializedSize();
		assertThat(bytes).as("the full state exceeds the message size cap").isGreaterThan(limits.maxMessageBytes());
		assertThat(likesBytes).as("the likes map alone must be split").isGreaterThan(budget);
		assertThat(batches).hasSizeGreaterThan(2);

		long start = System.nanoTime();
		HedgeNode joining = this.nodes.start(settings);
		cluster.add(joining);
		await().atMost(Timing.seconds(15)).pollInterval(Duration.ofMillis(20)).until(() -> {
			ReplicatedMap<String, GSet<String>> likes = joining.replicator().map("likes", String.class, USERS);
			return likes.keys().size() == 200 && ReplicatorPartitionTests.sameValues(cluster);
		});
		long millis = (System.nanoTime() - start) / 1_000_000;
		System.out.printf("A joining member pulled the full state (%d bytes in %d chunks of at most %d bytes, a %d"
				+ " byte likes map, message cap %d bytes) and held the same values %d ms after it started%n", bytes,
				batches.size(), budget, likesBytes, limits.maxMessageBytes(), millis);
		Replicator joined = joining.replicator();
		int likes = joined.map("likes", String.class, USERS).toMap().values().stream().mapToInt(GSet::size).sum();
		assertThat(likes).isEqualTo(3 * 200 * 10);
		assertThat(joined.map("views", String.class, COUNTER).get("post-7").orElseThrow().value())
			.isEqualTo(8 + 9 + 10);
		assertThat(joined.counter("visits").value()).isEqualTo(3003);
		assertThat(Duration.ofMillis(millis)).isLessThanOrEqualTo(Timing.seconds(3));
	}

	/**
	 * Five members each add likes and increments; two followers leave for good (closed). Once the membership dropped
	 * them and the leader pruned them, every survivor reads exactly the same counts as before and no value holds state
	 * of the two replicas any more. Then ten short-lived members each add one like (confirmed by a majority) and
	 * leave: the counts stay exact and the replica slots stay a small multiple of the live members.
	 */
	@Test
	void removedMembersArePrunedByTheLeaderWithoutChangingAValue() {
		this.nodes = new TestNodes(this.store);
		Consumer<HedgeNode.Builder> settings = (builder) -> builder.replicatedData(ReplicatorOptions.builder()
			.deltaInterval(Duration.ofMillis(50))
			.gossipInterval(GOSSIP)
			.pruningInterval(Duration.ofMillis(300))
			.pruningDelay(Duration.ofMillis(500))
			.build());
		List<HedgeNode> cluster = this.nodes.startAll(5, settings);
		for (int m = 0; m < cluster.size(); m++) {
			Replicator replicator = cluster.get(m).replicator();
			for (int post = 0; post < 20; post++) {
				String user = "user-" + m;
				int n = m + 1;
				replicator.map("likes", String.class, USERS).update("post-" + post, (users, r) -> users.add(user));
				replicator.map("views", String.class, COUNTER)
					.update("post-" + post, (counter, r) -> counter.increment(r, n));
			}
			replicator.counter("clicks").increment(10 * (m + 1));
			replicator.counter("clicks").decrement(m + 1);
		}
		await().atMost(Timing.seconds(10)).until(() -> ReplicatorPartitionTests.sameValues(cluster));
		Map<String, Object> before = values(cluster.get(0).replicator());
		assertThat(cluster.get(0).replicator().counter("clicks").value()).isEqualTo(150 - 15);
		HedgeNode leader = this.nodes.leader().orElseThrow();
		int slotsBefore = replicas(leader.replicator()).size();
		List<HedgeNode> leaving = cluster.stream().filter((n) -> n != leader).limit(2).toList();
		Set<String> gone = new HashSet<>();
		for (HedgeNode member : leaving) {
			gone.add(member.replicator().replicaId());
			member.close();
		}
		List<HedgeNode> survivors = cluster.stream().filter((n) -> !leaving.contains(n)).toList();
		long closed = System.nanoTime();
		awaitPruned(survivors, gone);
		long prunedMillis = (System.nanoTime() - closed) / 1_000_000;
		for (HedgeNode survivor : survivors) {
			assertThat(values(survivor.replicator())).isEqualTo(before);
		}
		assertThat(leader.replicator().stats().prunedReplicas()).isGreaterThanOrEqualTo(2);
		int slotsAfter = replicas(leader.replicator()).size();
		System.out.printf("Two members closed: pruned by the leader %d ms later; replica slots %d before, %d after,"
				+ " values unchanged%n", prunedMillis, slotsBefore, slotsAfter);

		Set<String> churned = new HashSet<>();
		Consistency majority = Consistency.majority(Timing.seconds(3));
		long churnStart = System.nanoTime();
		for (int i = 0; i < 10; i++) {
			HedgeNode member = this.nodes.start(settings);
			await().atMost(Timing.seconds(10)).until(() -> member.members().size() == survivors.size() + 1);
			String user = "short-lived-" + i;
			member.replicator().map("likes", String.class, USERS).update("post-0", (users, r) -> users.add(user),
					majority);
			member.replicator().counter("clicks").increment(1, majority);
			churned.add(member.replicator().replicaId());
			member.close();
		}
		awaitPruned(survivors, churned);
		long churnMillis = (System.nanoTime() - churnStart) / 1_000_000;
		for (HedgeNode survivor : survivors) {
			Replicator replicator = survivor.replicator();
			assertThat(replicator.map("likes", String.class, USERS).get("post-0").orElseThrow().size()).isEqualTo(15);
			assertThat(replicator.map("likes", String.class, USERS).get("post-1").orElseThrow().size()).isEqualTo(5);
			assertThat(replicator.counter("clicks").value()).isEqualTo(145);
			assertThat(replicator.map("views", String.class, COUNTER).get("post-3").orElseThrow().value())
				.isEqualTo(15);
			Set<String> slots = replicas(replicator);
			assertThat(owners(slots)).hasSizeLessThanOrEqualTo(survivors.size());
			assertThat(slots).hasSizeLessThanOrEqualTo(2 * survivors.size());
		}
		System.out.printf("Ten short-lived members (one like and one click each) came and went in %d ms: counts"
				+ " exact, replica slots %d for %d live members, %d replicas pruned by the leader%n", churnMillis,
				replicas(leader.replicator()).size(), survivors.size(), leader.replicator().stats().prunedReplicas());
	}

	/**
	 * Three members, the replicator traffic to and from the third cut (black-holed; the members still list it). An
	 * ALL write fails with {@link ReplicationTimeoutException} after its timeout (plus a margin) and a MAJORITY write
	 * succeeds. As documented, the failed write is not rolled back: it stays applied on the writer and spreads, so
	 * after the heal every member counts it exactly once, and retrying the idempotent like with ALL succeeds without
	 * counting it twice.
	 */
	@Test
	void anAllWriteTimesOutWhileAMemberIsCutOffAndIsNeitherLostNorDoubled() {
		this.nodes = new TestNodes(this.store);
		int size = 3;
		List<Map<String, String>> routes = new ArrayList<>();
		List<HedgeNode> cluster = new ArrayList<>();
		for (int i = 0; i < size; i++) {
			Map<String, String> route = new ConcurrentHashMap<>();
			routes.add(route);
			cluster.add(this.nodes.start((builder) -> builder.replicatedData(ReplicatorOptions.builder()
				.deltaInterval(Duration.ofMillis(50))
				.gossipInterval(GOSSIP)
				.peerAddresses((id) -> route.getOrDefault(id, id))
				.build())));
		}
		await().atMost(Timing.seconds(15)).until(() -> cluster.stream().allMatch((n) -> n.members().size() == size));
		List<FaultProxy> cut = new ArrayList<>();
		for (int from = 0; from < size; from++) {
			for (int to = 0; to < size; to++) {
				if (from != to && (from == 2 || to == 2)) {
					FaultProxy proxy = FaultProxy.start(cluster.get(to).nodeId());
					this.proxies.add(proxy);
					cut.add(proxy);
					routes.get(from).put(cluster.get(to).nodeId(), proxy.address());
				}
			}
		}
		Replicator writer = cluster.get(0).replicator();
		ReplicatedGrowOnlySet<String> likes = writer.growOnlySet("likes/post", String.class);
		likes.add("before", Consistency.all(Timing.seconds(3)));
		cut.forEach((proxy) -> proxy.mode(FaultProxy.Mode.BLACKHOLE));

		Duration timeout = Duration.ofSeconds(1);
		long start = System.nanoTime();
		assertThatExceptionOfType(ReplicationTimeoutException.class)
			.isThrownBy(() -> likes.add("carol", Consistency.all(timeout)))
			.satisfies((ex) -> {
				assertThat(ex.required()).isEqualTo(3);
				assertThat(ex.confirmed()).isLessThan(3);
			});
		long allMillis = (System.nanoTime() - start) / 1_000_000;
		assertThatExceptionOfType(ReplicationTimeoutException.class)
			.isThrownBy(() -> writer.counter("clicks").increment(5, Consistency.all(timeout)));
		start = System.nanoTime();
		likes.add("dave", Consistency.majority(Timing.seconds(3)));
		writer.counter("clicks").increment(1, Consistency.majority(Timing.seconds(3)));
		long majorityMillis = (System.nanoTime() - start) / 1_000_000;
		System.out.printf("A member cut off: ALL(%d ms) write failed after %d ms, MAJORITY writes took %d ms%n",
				timeout.toMillis(), allMillis, majorityMillis);
		assertThat(Duration.ofMillis(allMillis)).isGreaterThanOrEqualTo(timeout.minusMillis(50))
			.isLessThanOrEqualTo(timeout.plus(Timing.seconds(1)));
		// the failed ALL writes stay applied on the writer and reach the majority side
		assertThat(likes.elements()).contains("carol", "dave");
		await().atMost(Timing.seconds(5))
			.until(() -> cluster.get(1).replicator().counter("clicks").value() == 6);
		assertThat(cluster.get(2).replicator().growOnlySet("likes/post", String.class).elements())
			.doesNotContain("carol", "dave");

		// heal: dial the members directly again (a black-holed connection lost bytes that TCP would have resent)
		routes.forEach(Map::clear);
		cut.forEach(FaultProxy::close);
		long healed = System.nanoTime();
		await().atMost(Timing.seconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> cluster.stream()
			.allMatch((n) -> n.replicator().growOnlySet("likes/post", String.class).size() == 3
					&& n.replicator().counter("clicks").value() == 6));
		long healMillis = (System.nanoTime() - healed) / 1_000_000;
		likes.add("carol", Consistency.all(Timing.seconds(3)));
		for (HedgeNode member : cluster) {
			assertThat(member.replicator().growOnlySet("likes/post", String.class).elements())
				.containsExactlyInAnyOrder("before", "carol", "dave");
			assertThat(member.replicator().counter("clicks").value(Consistency.all(Timing.seconds(3)))).isEqualTo(6);
		}
		System.out.printf("After the heal every member held the failed ALL writes exactly once after %d ms%n",
				healMillis);
	}

	/** Waits until no survivor holds state of the replicas gone and all survivors hold the same values. */
	private static void awaitPruned(List<HedgeNode> survivors, Set<String> gone) {
		await().atMost(Timing.seconds(15)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
			for (HedgeNode survivor : survivors) {
				assertThat(owners(replicas(survivor.replicator()))).doesNotContainAnyElementsOf(gone);
			}
			assertThat(ReplicatorPartitionTests.sameValues(survivors)).isTrue();
		});
	}

	/** What a member's values read as: maps of counters and sets by their values, not their per-replica state. */
	private static Map<String, Object> values(Replicator replicator) {
		Map<String, Object> values = new java.util.HashMap<>(ReplicatorPartitionTests.readable(replicator));
		values.replaceAll((name, value) -> {
			if (value instanceof Map<?, ?> map) {
				Map<Object, Object> read = new java.util.HashMap<>();
				map.forEach((key, nested) -> read.put(key, (nested instanceof PNCounter counter) ? counter.exactValue()
						: (nested instanceof dev.hedge.crdt.ORSet<?> set) ? set.elements() : nested));
				return read;
			}
			return value;
		});
		return values;
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static Codec.Named named(Replicator replicator, String name, DataType<?> type) {
		return new Codec.Named(name, type, (dev.hedge.crdt.ReplicatedData<?>) replicator.get(name, (DataType) type)
			.orElseThrow());
	}

	/** Every replica id (or a map's pruned slot of one) that holds state in a member's values. */
	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static Set<String> replicas(Replicator replicator) {
		Set<String> replicas = new HashSet<>();
		replicator.names()
			.forEach((name, type) -> replicator.get(name, (DataType) type)
				.ifPresent((value) -> Pruner.collect(value, replicas)));
		return replicas;
	}

	private static Set<String> owners(Set<String> replicas) {
		Set<String> owners = new HashSet<>();
		replicas.forEach((replica) -> owners.add(Names.owner(replica)));
		return owners;
	}

}
