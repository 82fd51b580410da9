package dev.hedge.sos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

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
import static dev.hedge.sos.SosTesting.records;
import static dev.hedge.sos.SosTesting.sha256;
import static dev.hedge.sos.SosTesting.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * One member alone: memory then disk, the record cap, capacity without peers, snapshots for readers, TTL and
 * reopening, what keeps a store alive, delete during use, the janitor thread, and the directory (stale files of a
 * crashed predecessor, one member per directory).
 */
@ExtendWith(EmbeddedDatabaseExtension.class)
class SosLocalTests {

	private static final Duration TTL = Duration.ofSeconds(2);

	private final HedgeStore store;

	private TestNodes nodes;

	SosLocalTests(EmbeddedTestDatabase database) {
		this.store = Stores.embedded(database);
	}

	@BeforeEach
	void group() {
		this.nodes = new TestNodes(this.store);
	}

	@AfterEach
	void stop() {
		this.nodes.close();
	}

	private HedgeNode member(long memory, long disk) {
		return SosTesting.start(this.nodes, memory, disk, TTL);
	}

	@Test
	void recordsFillMemoryThenDiskAndComeBackInWriteOrder() {
		HedgeNode member = member(256 << 10, 2 * MIB);
		List<byte[]> records = new ArrayList<>(records(31, MIB, 16 << 10));
		records.add(3, new byte[0]);
		records.add(new byte[0]);
		SpillOverStore tiers = member.spillOver().store("tiers");

		assertThat(write(tiers, records)).isEqualTo(records.size());

		SosStoreStats stats = tiers.stats();
		assertThat(stats.memory().records()).isPositive();
		assertThat(stats.disk().records()).isPositive();
		assertThat(stats.memory().records() + stats.disk().records()).isEqualTo(records.size());
		assertThat(stats.peers()).isEmpty();
		SpillOverStats node = member.spillOver().stats();
		assertThat(node.memoryUsedBytes()).isPositive().isLessThanOrEqualTo(256 << 10);
		assertThat(node.offHeapBytes()).isEqualTo(node.memoryUsedBytes());
		assertThat(node.diskUsedBytes()).isEqualTo(stats.disk().bytes());
		assertThat(node.dataFiles()).isEqualTo(1);
		assertThat(sha256(tiers)).isEqualTo(sha256(records));
		tiers.delete();
		SosTesting.assertNothingLeft(member);
	}

	@Test
	void aRecordAtTheCapIsStoredAndOneByteMoreIsRefusedWithATypedError() {
		HedgeNode member = member(8 * MIB, 8 * MIB);
		int cap = member.spillOver().maxRecordBytes();
		assertThat(cap).isEqualTo((4 << 20) - 1024);
		byte[] atCap = new byte[cap];
		Arrays.fill(atCap, (byte) 7);
		SpillOverStore capped = member.spillOver().store("capped");
		try (SosWriter writer = capped.writer()) {
			writer.write(new byte[] { 1 });
			assertThatExceptionOfType(SosRecordTooLargeException.class)
				.isThrownBy(() -> writer.write(new byte[cap + 1]))
				.satisfies((ex) -> {
					assertThat(ex.getSize()).isEqualTo(cap + 1);
					assertThat(ex.getMax()).isEqualTo(cap);
				});
			writer.write(atCap);
			writer.write(atCap, cap - 2, 2);
		}
		List<byte[]> read = new ArrayList<>();
		capped.read(read::add);
		assertThat(read).hasSize(3);
		assertThat(read.get(1)).isEqualTo(atCap);
		assertThat(read.get(2)).containsExactly(7, 7);
		capped.delete();
	}

	@Test
	void aMemberWithoutPeersRunsOutOfCapacityWithATypedErrorAndKeepsWhatItStored() {
		HedgeNode member = member(64 << 10, 64 << 10);
		SpillOverStore small = member.spillOver().store("small");
		List<byte[]> written = new ArrayList<>();
		SosWriter writer = small.writer();
		SosCapacityException failure = null;
		try {
			for (byte[] record : records(32, MIB, 4 << 10)) {
				written.add(record);
				writer.write(record);
			}
		}
		catch (SosCapacityException ex) {
			failure = ex;
		}
		writer.close();
		assertThat(failure).isNotNull();
		assertThat(failure.getAttempts()).contains("no other member in the group");
		assertThat(failure.getRecordsStored()).isEqualTo(written.size() - 1);
		assertThat(sha256(small)).isEqualTo(sha256(written.subList(0, written.size() - 1)));
		small.delete();
	}

	@Test
	void aReaderReturnsTheRecordsStoredWhenItWasOpenedWhileTheWriterGoesOn() {
		HedgeNode member = member(64 << 10, MIB);
		List<byte[]> records = records(33, 256 << 10, 8 << 10);
		SpillOverStore growing = member.spillOver().store("growing");
		SosWriter writer = growing.writer();
		int half = records.size() / 2;
		records.subList(0, half).forEach(writer::write);
		try (SosReader early = growing.reader()) {
			records.subList(half, records.size()).forEach(writer::write);
			writer.close();
			assertThat(early.records()).isEqualTo(half);
			List<byte[]> read = new ArrayList<>();
			early.forEachRemaining(read::add);
			assertThat(sha256(read)).isEqualTo(sha256(records.subList(0, half)));
		}
		assertThat(sha256(growing)).isEqualTo(sha256(records));
		growing.delete();
	}

	@Test
	void closeStartsTheTtlAndReopeningWithinItKeepsTheData() {
		HedgeNode member = member(MIB, MIB);
		List<byte[]> records = records(34, 300 << 10, 8 << 10);
		SpillOverStore first = member.spillOver().store("reopen");
		write(first, records);
		first.close();
		SpillOverStore again = member.spillOver().store("reopen");
		assertThat(sha256(again)).as("reopened within the TTL").isEqualTo(sha256(records));
		long closed = System.nanoTime();
		again.close();
		await().atMost(Timing.seconds(10)).until(() -> member.spillOver().stats().stores() == 0);
		assertThat(System.nanoTime() - closed).isGreaterThanOrEqualTo(TTL.toNanos());
		SosTesting.assertNothingLeft(member);
		SpillOverStore fresh = member.spillOver().store("reopen");
		assertThat(fresh.stats().records()).as("a new store once the TTL passed").isZero();
		fresh.delete();
	}

	@Test
	void anOpenReaderOrWriterKeepsTheStoreBeyondTheTtl() {
		HedgeNode member = member(MIB, MIB);
		SpillOverStore kept = member.spillOver().store("kept");
		write(kept, records(35, 100 << 10, 8 << 10));
		SosReader reader = kept.reader();
		SpillOverStore writing = member.spillOver().store("kept-writer");
		SosWriter writer = writing.writer();
		writing.close();
		kept.close();
		await().during(Timing.scaled(TTL.multipliedBy(2))).atMost(Timing.seconds(15))
			.until(() -> member.spillOver().stats().stores() == 2);
		reader.next();
		reader.close();
		writer.close();
		await().atMost(Timing.seconds(10)).untilAsserted(() -> SosTesting.assertNothingLeft(member));
	}

	@Test
	void deleteFailsOpenWritersAndReadersWithATypedErrorAndFreesAtOnce() {
		HedgeNode member = member(64 << 10, MIB);
		SpillOverStore busy = member.spillOver().store("busy");
		SosWriter writer = busy.writer();
		records(36, 200 << 10, 8 << 10).forEach(writer::write);
		SosReader reader = busy.reader();
		reader.next();

		member.spillOver().store("busy").delete();

		SosTesting.assertNothingLeft(member);
		assertThatExceptionOfType(SosClosedException.class).isThrownBy(() -> writer.write(new byte[1]))
			.withMessageContaining("deleted");
		assertThatExceptionOfType(SosClosedException.class).isThrownBy(reader::next);
		writer.close();
		reader.close();
		assertThat(member.spillOver().store("busy").writer()).isNotNull();
	}

	@Test
	void theJanitorThreadIsNamedAfterTheGroupAndStoppedByClose() {
		HedgeNode member = member(MIB, MIB);
		String name = "hedge-" + member.group() + "-sos-janitor";
		Consumer<Boolean> expect = (running) -> assertThat(Thread.getAllStackTraces().keySet().stream()
			.anyMatch((thread) -> thread.getName().equals(name) && thread.isAlive())).isEqualTo(running);
		expect.accept(false);
		member.spillOver().store("janitor").close();
		expect.accept(true);
		member.close();
		await().atMost(Timing.seconds(5)).untilAsserted(() -> expect.accept(false));
		assertThatExceptionOfType(SosClosedException.class).isThrownBy(() -> member.spillOver().store("late"));
	}

	@Test
	void staleDataFilesOfACrashedPredecessorGoWhenTheDirectoryIsClaimedAndNothingElseIsTouched() throws Exception {
		Path directory = SosTesting.tempDirectory("stale");
		Files.write(directory.resolve("hedge-sos-0000-left-by-a-crash.dat"), new byte[4096]);
		Files.write(directory.resolve("keep.txt"), new byte[] { 1 });
		HedgeNode member = this.nodes.start((builder) -> builder.membership(SosTesting.MEMBERSHIP)
			.spillOver(new SpillOverOptions(0, MIB, directory, TTL)));
		SpillOverStore disk = member.spillOver().store("disk");
		write(disk, records(37, 10 << 10, 1 << 10));
		assertThat(disk.stats().disk().records()).isPositive();
		assertThat(directory.resolve("hedge-sos-0000-left-by-a-crash.dat")).doesNotExist();
		assertThat(directory.resolve(SosFiles.LOCK)).exists();
		assertThat(SosTesting.dataFiles(directory)).isEqualTo(1);
		member.close();
		try (var left = Files.list(directory)) {
			assertThat(left.map((file) -> file.getFileName().toString())).containsExactly("keep.txt");
		}
	}

	@Test
	void twoMembersNeverShareADirectory() {
		Path directory = SosTesting.tempDirectory("shared");
		SpillOverOptions options = new SpillOverOptions(0, MIB, directory, TTL);
		HedgeNode first = this.nodes.start((builder) -> builder.membership(SosTesting.MEMBERSHIP).spillOver(options));
		write(first.spillOver().store("mine"), List.of(new byte[100]));
		HedgeNode second = this.nodes.start((builder) -> builder.membership(SosTesting.MEMBERSHIP)
			.spillOver(new SpillOverOptions(0, MIB, directory, TTL)));
		SosTesting.awaitMembers(List.of(first, second));
		SpillOverStore theirs = second.spillOver().store("theirs");

		write(theirs, List.of(new byte[100]));

		assertThat(theirs.stats().disk().records()).as("not on the shared directory").isZero();
		assertThat(theirs.stats().peers()).containsOnlyKeys(first.nodeId());
		assertThat(SosTesting.dataFiles(directory)).isEqualTo(2);
	}

}
