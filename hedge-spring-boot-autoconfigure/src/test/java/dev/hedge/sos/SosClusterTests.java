package dev.hedge.sos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.hedge.HedgeNode;
import dev.hedge.TestNodes;
import dev.hedge.store.HedgeStore;
import dev.hedge.testsupport.EmbeddedDatabaseExtension;
import dev.hedge.testsupport.EmbeddedTestDatabase;
import dev.hedge.testsupport.Stores;
import dev.hedge.testsupport.Timing;

import static dev.hedge.sos.SosTesting.MIB;
import static dev.hedge.sos.SosTesting.assertNothingLeft;
import static dev.hedge.sos.SosTesting.byId;
import static dev.hedge.sos.SosTesting.placementOrder;
import static dev.hedge.sos.SosTesting.records;
import static dev.hedge.sos.SosTesting.sha256;
import static dev.hedge.sos.SosTesting.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Three real members, each with 1 MiB of memory and 1 MiB of disk for the SoS and a 2 s TTL: spilling through every
 * tier and back in order, TTL and delete freeing every member, the capacity error, write sessions and the writer
 * slot.
 */
@ExtendWith(EmbeddedDatabaseExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SosClusterTests {

	private static final Duration TTL = Duration.ofSeconds(2);

	private static final int MAX_RECORD = 64 << 10;

	private final HedgeStore store;

	private TestNodes nodes;

	private List<HedgeNode> cluster;

	private HedgeNode origin;

	private final List<SpillOverStore> opened = new ArrayList<>();

	SosClusterTests(EmbeddedTestDatabase database) {
		this.store = Stores.embedded(database);
	}

	@BeforeAll
	void startThreeMembers() {
		this.nodes = new TestNodes(this.store);
		this.cluster = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			this.cluster.add(SosTesting.start(this.nodes, MIB, MIB, TTL));
		}
		SosTesting.awaitMembers(this.cluster);
		this.origin = SosTesting.middle(this.cluster);
	}

	@AfterAll
	void stop() {
		this.nodes.close();
		this.store.close();
		for (HedgeNode node : this.cluster) {
			assertThat(SosTesting.dataFiles(node.spillOver().options().directory())).isZero();
			assertThat(node.spillOver().options().directory()).doesNotExist();
		}
	}

	@BeforeEach
	void everyMemberSeesTheOthers() {
		SosTesting.awaitMembers(this.cluster);
	}

	@AfterEach
	void deleteEverything() {
		for (SpillOverStore opened : this.opened) {
			opened.delete();
		}
		this.opened.clear();
		this.cluster.forEach(SosTesting::assertNothingLeft);
	}

	private SpillOverStore open(String name) {
		SpillOverStore opened = this.origin.spillOver().store(name);
		this.opened.add(opened);
		return opened;
	}

	@Test
	void fiveMibSpillThroughEveryTierOfEveryMemberAndReadBackInOrderUntilTheTtlFreesEverything() throws Exception {
		List<byte[]> records = records(1, 5 * MIB, MAX_RECORD);
		long bytes = records.stream().mapToLong((record) -> record.length).sum();
		SpillOverStore five = open("five-mib");

		assertThat(write(five, records)).isEqualTo(records.size());

		SosStoreStats stats = five.stats();
		assertThat(stats.records()).isEqualTo(records.size());
		assertThat(stats.bytes()).isEqualTo(bytes);
		assertThat(stats.memory().records()).as("origin memory").isPositive();
		assertThat(stats.disk().records()).as("origin disk").isPositive();
		List<String> order = placementOrder(this.origin, this.cluster);
		List<String> sorted = this.cluster.stream().map(HedgeNode::nodeId).sorted().toList();
		assertThat(order).as("after the origin, then wrapping around")
			.containsExactly(sorted.get(2), sorted.get(0));
		assertThat(stats.peers().keySet()).as("peers in placement order").containsExactlyElementsOf(order);
		long placed = stats.memory().records() + stats.disk().records()
				+ stats.peers().values().stream().mapToLong(TierStats::records).sum();
		assertThat(placed).isEqualTo(records.size());
		SpillOverStats first = byId(this.cluster, order.get(0)).spillOver().stats();
		SpillOverStats second = byId(this.cluster, order.get(1)).spillOver().stats();
		assertThat(first.heldMemory().records()).as("first peer's memory").isPositive();
		assertThat(first.heldDisk().records()).as("first peer's disk").isPositive();
		assertThat(second.heldMemory().records()).as("second peer's memory").isPositive();
		assertThat(first.heldMemory().plus(first.heldDisk())).isEqualTo(stats.peers().get(order.get(0)));
		assertThat(second.heldMemory().plus(second.heldDisk())).isEqualTo(stats.peers().get(order.get(1)));
		for (HedgeNode node : this.cluster) {
			SpillOverStats each = node.spillOver().stats();
			assertThat(each.memoryUsedBytes()).isLessThanOrEqualTo(MIB);
			assertThat(each.offHeapBytes()).isPositive().isLessThanOrEqualTo(MIB);
			assertThat(each.diskUsedBytes()).isLessThanOrEqualTo(MIB);
		}

		String expected = sha256(records);
		assertThat(sha256(five)).isEqualTo(expected);
		CountDownLatch start = new CountDownLatch(1);
		List<CompletableFuture<String>> readers = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			readers.add(CompletableFuture.supplyAsync(() -> {
				try {
					start.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				return sha256(five);
			}));
		}
		start.countDown();
		for (CompletableFuture<String> reader : readers) {
			assertThat(reader.get(Timing.seconds(60).toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(expected);
		}

		long closed = System.nanoTime();
		five.close();
		assertThat(this.origin.spillOver().stats().stores()).as("kept until the TTL has passed").isEqualTo(1);
		await().atMost(Timing.seconds(15)).untilAsserted(() -> this.cluster.forEach(SosTesting::assertNothingLeft));
		assertThat(System.nanoTime() - closed).as("freed only after the TTL").isGreaterThanOrEqualTo(TTL.toNanos());
		assertThatExceptionOfType(SosClosedException.class).isThrownBy(five::reader);
	}

	@Test
	void deleteFreesEverythingAtOnceOnEveryMember() {
		List<byte[]> records = records(2, 5 * MIB, MAX_RECORD);
		SpillOverStore deleted = open("deleted");
		SpillOverStore other = this.origin.spillOver().store("deleted");
		write(deleted, records);
		assertThat(deleted.stats().peers()).hasSize(2);
		SosReader open = other.reader();
		assertThat(open.next()).isEqualTo(records.get(0));

		deleted.delete();

		this.cluster.forEach(SosTesting::assertNothingLeft);
		assertThatExceptionOfType(SosClosedException.class).isThrownBy(open::next);
		open.close();
		assertThatExceptionOfType(SosClosedException.class).isThrownBy(deleted::writer);
		assertThatExceptionOfType(SosClosedException.class).isThrownBy(other::reader);
		other.close();
		deleted.close();
		SpillOverStore again = open("deleted");
		assertThat(again.stats().records()).as("a new, empty store").isZero();
		assertThat(again.read((record) -> {
		})).isZero();
	}

	@Test
	void writingBeyondTheGroupsCapacityFailsWithTheTypedErrorAndKeepsEveryRecordItStored() {
		List<byte[]> candidates = records(3, 12 * MIB, MAX_RECORD);
		SpillOverStore full = open("full");
		List<byte[]> written = new ArrayList<>();
		SosCapacityException failure = null;
		SosWriter writer = full.writer();
		try {
			for (byte[] record : candidates) {
				written.add(record);
				writer.write(record);
			}
		}
		catch (SosCapacityException ex) {
			failure = ex;
		}
		SosCapacityException first = failure;
		assertThatExceptionOfType(SosCapacityException.class).as("the writer stays failed")
			.isThrownBy(() -> writer.write(new byte[1]))
			.isSameAs(first);
		writer.close();
		assertThat(failure).as("the capacity error").isNotNull();
		long stored = failure.getRecordsStored();
		assertThat(stored).isPositive().isLessThan(written.size());
		assertThat(failure.getBytesStored()).as("close to the group's 6 MiB")
			.isGreaterThan(5 * MIB)
			.isLessThanOrEqualTo(6 * MIB);
		assertThat(failure.getAttempts()).anySatisfy((line) -> assertThat(line).contains("memory full"))
			.anySatisfy((line) -> assertThat(line).contains("disk full"));
		for (String peer : placementOrder(this.origin, this.cluster)) {
			assertThat(failure.getAttempts()).anySatisfy((line) -> assertThat(line).contains(peer).contains("full"));
		}
		assertThat(failure.getMessage()).contains(stored + " records");

		assertThat(full.stats().records()).isEqualTo(stored);
		assertThat(sha256(full)).isEqualTo(sha256(written.subList(0, (int) stored)));
	}

	@Test
	void sequentialWriteSessionsAppendInOrderAcrossTiersAndPeers() {
		List<byte[]> first = records(4, 3 * MIB / 2, MAX_RECORD);
		List<byte[]> second = records(5, 3 * MIB, MAX_RECORD);
		List<byte[]> third = records(6, MIB / 2, MAX_RECORD);
		SpillOverStore sessions = open("sessions");
		write(sessions, first);
		assertThat(sessions.stats().peers()).as("the first session stays local").isEmpty();
		write(sessions, second);
		SosStoreStats afterSecond = sessions.stats();
		assertThat(afterSecond.peers()).isNotEmpty();
		write(sessions, third);

		List<byte[]> all = new ArrayList<>(first);
		all.addAll(second);
		all.addAll(third);
		assertThat(sessions.stats().records()).isEqualTo(all.size());
		assertThat(sha256(sessions)).isEqualTo(sha256(all));
		Map<String, TierStats> peers = sessions.stats().peers();
		assertThat(peers.values().stream().mapToLong(TierStats::records).sum()).isEqualTo(all.size()
				- sessions.stats().memory().records() - sessions.stats().disk().records());
	}

	@Test
	void aSecondWriterFailsFastOrWaitsForTheFirstToClose() throws Exception {
		SpillOverStore one = open("single-writer");
		SpillOverStore two = this.origin.spillOver().store("single-writer");
		this.opened.add(two);
		SosWriter first = one.writer();
		first.write(new byte[] { 1 });

		assertThatExceptionOfType(SosWriterBusyException.class).isThrownBy(one::writer);
		assertThatExceptionOfType(SosWriterBusyException.class).isThrownBy(two::writer);
		long before = System.nanoTime();
		assertThatExceptionOfType(SosWriterBusyException.class)
			.isThrownBy(() -> two.writer(Duration.ofMillis(200)))
			.withMessageContaining("waited");
		assertThat(System.nanoTime() - before).isGreaterThanOrEqualTo(Duration.ofMillis(200).toNanos());

		CompletableFuture<SosWriter> waiting = CompletableFuture.supplyAsync(() -> two.writer(Timing.seconds(30)));
		Thread.sleep(100);
		assertThat(waiting).isNotDone();
		first.close();
		try (SosWriter second = waiting.get(Timing.seconds(30).toMillis(), TimeUnit.MILLISECONDS)) {
			second.write(new byte[] { 2 });
		}
		List<byte[]> read = new ArrayList<>();
		one.read(read::add);
		assertThat(read).containsExactly(new byte[] { 1 }, new byte[] { 2 });
	}

}
