package dev.hedge.sos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.hedge.HedgeNode;
import dev.hedge.TestNodes;
import dev.hedge.store.HedgeStore;
import dev.hedge.testsupport.EmbeddedDatabaseExtension;
import dev.hedge.testsupport.EmbeddedTestDatabase;
import dev.hedge.testsupport.Stores;
import dev.hedge.testsupport.Timing;

import static dev.hedge.sos.SosTesting.MIB;
import static dev.hedge.sos.SosTesting.byId;
import static dev.hedge.sos.SosTesting.placementOrder;
import static dev.hedge.sos.SosTesting.records;
import static dev.hedge.sos.SosTesting.sha256;
import static dev.hedge.sos.SosTesting.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Members that die: a reader whose peer was halted gets a typed error naming the member and the records missing;
 * the peers of a crashed origin free its segments once their own TTL has passed; a writer leaves a halted peer for
 * the next member without losing a record. A fresh group of three members per test (1 MiB memory, 1 MiB disk, 2 s
 * TTL each).
 */
@ExtendWith(EmbeddedDatabaseExtension.class)
class SosPeerFailureTests {

	private static final Duration TTL = Duration.ofSeconds(2);

	private final HedgeStore store;

	private TestNodes nodes;

	private List<HedgeNode> cluster;

	private HedgeNode origin;

	private List<String> order;

	SosPeerFailureTests(EmbeddedTestDatabase database) {
		this.store = Stores.embedded(database);
	}

	@BeforeEach
	void startThreeMembers() {
		this.nodes = new TestNodes(this.store);
		this.cluster = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			this.cluster.add(SosTesting.start(this.nodes, MIB, MIB, TTL));
		}
		SosTesting.awaitMembers(this.cluster);
		this.origin = SosTesting.middle(this.cluster);
		this.order = placementOrder(this.origin, this.cluster);
	}

	@AfterEach
	void stop() {
		this.nodes.close();
		for (HedgeNode node : this.cluster) {
			assertThat(SosTesting.dataFiles(node.spillOver().options().directory())).isZero();
		}
	}

	@Test
	void aReaderWhosePeerWasHaltedGetsATypedErrorNamingTheMemberAndTheMissingRecords() {
		List<byte[]> records = records(11, 5 * MIB, 64 << 10);
		SpillOverStore spilled = this.origin.spillOver().store("halted-peer");
		write(spilled, records);
		SosStoreStats stats = spilled.stats();
		String first = this.order.get(0);
		long local = stats.memory().records() + stats.disk().records();
		long onFirst = stats.peers().get(first).records();
		assertThat(onFirst).isPositive();

		this.nodes.halt(byId(this.cluster, first));

		List<byte[]> read = new ArrayList<>();
		try (SosReader reader = spilled.reader()) {
			assertThat(reader.records()).isEqualTo(records.size());
			assertThatExceptionOfType(SosReadException.class).isThrownBy(() -> {
				while (reader.hasNext()) {
					read.add(reader.next());
				}
			}).satisfies((ex) -> {
				assertThat(ex.getMember()).isEqualTo(first);
				assertThat(ex.getStore()).isEqualTo("halted-peer");
				assertThat(ex.getFromRecord()).isEqualTo(local);
				assertThat(ex.getToRecord()).isEqualTo(local + onFirst);
				assertThat(ex.getMessage()).contains(first).contains("[" + local + ", " + (local + onFirst) + ")");
			});
		}
		assertThat(read).hasSize((int) local);
		assertThat(sha256(read)).as("everything before the missing records").isEqualTo(sha256(records.subList(0,
				(int) local)));
		spilled.delete();
		SosTesting.assertNothingLeft(this.origin);
		SosTesting.assertNothingLeft(byId(this.cluster, this.order.get(1)));
	}

	@Test
	void thePeersOfACrashedOriginFreeItsSegmentsWhenTheirOwnTtlHasPassed() {
		SpillOverStore spilled = this.origin.spillOver().store("crashed-origin");
		write(spilled, records(12, 5 * MIB, 64 << 10));
		List<HedgeNode> peers = this.order.stream().map((id) -> byId(this.cluster, id)).toList();
		for (HedgeNode peer : peers) {
			assertThat(peer.spillOver().stats().heldSegments()).isPositive();
		}

		long halted = System.nanoTime();
		this.nodes.halt(this.origin);

		assertThat(SosTesting.dataFiles(this.origin.spillOver().options().directory())).isZero();
		await().atMost(Timing.seconds(15)).untilAsserted(() -> peers.forEach(SosTesting::assertNothingLeft));
		assertThat(System.nanoTime() - halted).as("kept for the TTL after the last contact")
			.isGreaterThanOrEqualTo(TTL.toNanos() - Duration.ofMillis(700).toNanos());
	}

	@Test
	void aWriterLeavesAHaltedPeerForTheNextMemberWithoutLosingARecord() {
		List<byte[]> records = records(13, 3 * MIB, 64 << 10);
		String first = this.order.get(0);
		String second = this.order.get(1);
		this.nodes.halt(byId(this.cluster, first));
		assertThat(this.origin.members()).as("still listed: the writer has to find out itself").contains(first);

		SpillOverStore spilled = this.origin.spillOver().store("skip-halted");
		assertThat(write(spilled, records)).isEqualTo(records.size());

		assertThat(spilled.stats().peers().keySet()).containsExactly(second);
		assertThat(sha256(spilled)).isEqualTo(sha256(records));
		spilled.delete();
		SosTesting.assertNothingLeft(this.origin);
		SosTesting.assertNothingLeft(byId(this.cluster, second));
	}

}
