package dev.hedge.replicator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.hedge.HedgeNode;
import dev.hedge.TestNodes;
import dev.hedge.crdt.GSet;
import dev.hedge.store.HedgeStore;
import dev.hedge.testsupport.EmbeddedDatabaseExtension;
import dev.hedge.testsupport.EmbeddedTestDatabase;
import dev.hedge.testsupport.FaultProxy;
import dev.hedge.testsupport.Stores;
import dev.hedge.testsupport.Timing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Five members whose replicator traffic runs through a fault proxy per ordered pair of members, cut into 2 | 3: likes
 * (a map of grow-only sets) and a counter updated on both sides while the sides cannot reach each other, then the
 * partition heals and every member must hold the same values within 2.5 s (the bound; the default delta and
 * gossip intervals). Member traffic other than the replicator's is not cut, so the members keep listing each other
 * and keep pushing into the cut links (which is what a partition shorter than the member timeout looks like).
 */
@ExtendWith(EmbeddedDatabaseExtension.class)
class ReplicatorPartitionTests {

	private static final DataType<GSet<String>> USERS = DataType.growOnlySet(String.class);

	private final HedgeStore store;

	private final List<FaultProxy> proxies = new ArrayList<>();

	private TestNodes nodes;

	ReplicatorPartitionTests(EmbeddedTestDatabase database) {
		this.store = Stores.embedded(database);
	}

	@AfterEach
	void stop() {
		this.nodes.close();
		this.proxies.forEach(FaultProxy::close);
		this.store.close();
	}

	@Test
	void bothSidesOfATwoThreePartitionConvergeWithinTwoAndAHalfSecondsOfHealing() {
		int size = 5;
		List<Map<String, String>> routes = new ArrayList<>();
		this.nodes = new TestNodes(this.store);
		List<HedgeNode> cluster = new ArrayList<>();
		for (int i = 0; i < size; i++) {
			Map<String, String> route = new ConcurrentHashMap<>();
			routes.add(route);
			cluster.add(this.nodes.start((builder) -> builder
				.replicatedData(ReplicatorOptions.builder().peerAddresses((id) -> route.getOrDefault(id, id)).build())));
		}
		await().atMost(Timing.seconds(15)).until(() -> cluster.stream().allMatch((n) -> n.members().size() == size));
		Map<Integer, Map<Integer, FaultProxy>> links = new HashMap<>();
		for (int from = 0; from < size; from++) {
			for (int to = 0; to < size; to++) {
				if (from != to) {
					FaultProxy proxy = FaultProxy.start(cluster.get(to).nodeId());
					this.proxies.add(proxy);
					links.computeIfAbsent(from, (f) -> new HashMap<>()).put(to, proxy);
					routes.get(from).put(cluster.get(to).nodeId(), proxy.address());
				}
			}
		}
		List<ReplicatedMap<String, GSet<String>>> likes = cluster.stream()
			.map((n) -> n.replicator().map("likes", String.class, USERS))
			.toList();
		likes.get(0).update("post", (users, r) -> users.add("before"));
		await().atMost(Timing.seconds(5)).until(() -> likes.stream().allMatch((l) -> l.get("post").isPresent()));

		Set<Integer> minority = Set.of(0, 1);
		links.forEach((from, byTarget) -> byTarget.forEach((to, proxy) -> {
			if (minority.contains(from) != minority.contains(to)) {
				proxy.mode(FaultProxy.Mode.BLACKHOLE);
			}
		}));
		for (int i = 0; i < 50; i++) {
			int member = i % size;
			String user = ((member < 2) ? "minority-" : "majority-") + i;
			likes.get(member).update("post", (users, r) -> users.add(user));
			likes.get(member).update("post-" + (i % 7), (users, r) -> users.add(user));
			cluster.get(member).replicator().counter("clicks").increment(1);
		}
		// each side converges on its own, and does not see the other
		await().atMost(Timing.seconds(5))
			.until(() -> sameValues(cluster.subList(0, 2)) && sameValues(cluster.subList(2, 5)));
		assertThat(likes.get(0).get("post").orElseThrow().elements()).noneMatch((u) -> u.startsWith("majority-"));
		assertThat(likes.get(4).get("post").orElseThrow().elements()).noneMatch((u) -> u.startsWith("minority-"));
		// let the members push into the cut links for a while
		sleep(Duration.ofSeconds(2));

		links.values().forEach((byTarget) -> byTarget.values().forEach((p) -> p.mode(FaultProxy.Mode.PASS)));
		long healed = System.nanoTime();
		await().atMost(Timing.seconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> sameValues(cluster));
		long millis = (System.nanoTime() - healed) / 1_000_000;
		System.out.printf("2|3 partition healed: all 5 members equal after %d ms%n", millis);
		assertThat(likes.get(3).get("post").orElseThrow().size()).isEqualTo(51);
		assertThat(cluster.get(1).replicator().counter("clicks").value()).isEqualTo(50);
		assertThat(Duration.ofMillis(millis)).isLessThanOrEqualTo(Timing.scaled(Duration.ofMillis(2500)));
	}

	/** Whether the members hold equal values of every name (what they read as: contexts may differ in gaps). */
	static boolean sameValues(List<HedgeNode> members) {
		Map<String, Object> first = null;
		for (HedgeNode member : members) {
			Map<String, Object> values = readable(member.replicator());
			if (first == null) {
				first = values;
			}
			else if (!first.equals(values)) {
				return false;
			}
		}
		return true;
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	static Map<String, Object> readable(Replicator replicator) {
		Map<String, Object> values = new HashMap<>();
		replicator.names().forEach((name, type) -> {
			Object value = replicator.get(name, (DataType) type).orElse(null);
			if (value instanceof dev.hedge.crdt.ORMap<?, ?> map) {
				value = map.toMap();
			}
			else if (value instanceof dev.hedge.crdt.ORSet<?> set) {
				value = set.elements();
			}
			else if (value instanceof dev.hedge.crdt.PNCounter counter) {
				value = counter.exactValue();
			}
			values.put(name, value);
		});
		return values;
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
