package dev.hedge.replicator;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.hedge.HedgeNode;
import dev.hedge.TestNodes;
import dev.hedge.crdt.GSet;
import dev.hedge.store.HedgeStore;
import dev.hedge.testsupport.EmbeddedDatabaseExtension;
import dev.hedge.testsupport.EmbeddedTestDatabase;
import dev.hedge.testsupport.Stores;
import dev.hedge.testsupport.Timing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Three real members over real gRPC: updates spread, consistent writes and reads, listeners, every type. */
@ExtendWith(EmbeddedDatabaseExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplicatorClusterTests {

	private final HedgeStore store;

	private TestNodes nodes;

	private List<HedgeNode> cluster;

	ReplicatorClusterTests(EmbeddedTestDatabase database) {
		this.store = Stores.embedded(database);
	}

	@BeforeAll
	void start() {
		this.nodes = new TestNodes(this.store);
		this.cluster = this.nodes.startAll(3, (builder) -> builder.replicatedData(ReplicatorOptions.builder()
			.deltaInterval(Duration.ofMillis(50))
			.gossipInterval(Duration.ofMillis(500))
			.build()));
	}

	@AfterAll
	void stop() {
		this.nodes.close();
		this.store.close();
	}

	@Test
	void localUpdatesReachEveryMember() {
		for (int i = 0; i < this.cluster.size(); i++) {
			this.cluster.get(i).replicator().counter("spread").increment(i + 1);
		}
		await().atMost(Timing.seconds(5))
			.until(() -> this.cluster.stream().allMatch((n) -> n.replicator().counter("spread").value() == 6));
	}

	@Test
	void aMajorityWriteIsSeenByAMajorityRead() {
		Consistency majority = Consistency.majority(Duration.ofSeconds(3));
		ReplicatedMap<String, GSet<String>> likes = this.cluster.get(0)
			.replicator()
			.map("likes", String.class, DataType.growOnlySet(String.class));
		likes.update("post-1", (users, replica) -> users.add("alice"), majority);
		likes.update("post-1", (users, replica) -> users.add("bob"), majority);
		likes.update("post-1", (users, replica) -> users.add("alice"), majority);
		ReplicatedMap<String, GSet<String>> elsewhere = this.cluster.get(2)
			.replicator()
			.map("likes", String.class, DataType.growOnlySet(String.class));
		assertThat(elsewhere.get("post-1", majority).map(GSet::elements)).contains(Set.of("alice", "bob"));
	}

	@Test
	void aSetsSizeReadsWithTheConsistencyItsElementsDo() {
		Consistency majority = Consistency.majority(Duration.ofSeconds(3));
		this.cluster.get(0).replicator().set("sized", String.class).add("a", majority);
		this.cluster.get(1).replicator().set("sized", String.class).add("b", majority);
		ReplicatedSet<String> third = this.cluster.get(2).replicator().set("sized", String.class);
		assertThat(third.size(majority)).isEqualTo(third.elements(majority).size()).isEqualTo(2);
		third.remove("a", majority);
		assertThat(this.cluster.get(0).replicator().set("sized", String.class).size(majority)).isEqualTo(1);
	}

	@Test
	void everyTypeConverges() {
		Replicator a = this.cluster.get(0).replicator();
		Replicator b = this.cluster.get(1).replicator();
		a.set("tags", String.class).add("x");
		b.set("tags", String.class).add("y");
		a.growOnlySet("ids", Long.class).add(7L);
		b.register("motd", String.class).set("hello");
		a.map("counts", Long.class, DataType.counter()).update(3L, (c, r) -> c.increment(r, 5));
		await().atMost(Timing.seconds(5)).untilAsserted(() -> {
			for (HedgeNode node : this.cluster) {
				Replicator r = node.replicator();
				assertThat(r.set("tags", String.class).elements()).containsExactlyInAnyOrder("x", "y");
				assertThat(r.set("tags", String.class).size()).isEqualTo(2);
				assertThat(r.growOnlySet("ids", Long.class).elements()).containsExactly(7L);
				assertThat(r.register("motd", String.class).get()).contains("hello");
				assertThat(r.map("counts", Long.class, DataType.counter()).get(3L).map((c) -> c.value())).contains(5L);
			}
		});
	}

}
