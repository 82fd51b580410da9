package dev.hedge.sos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import dev.hedge.HedgeNode;
import dev.hedge.TestNodes;
import dev.hedge.membership.MembershipOptions;
import dev.hedge.testsupport.Timing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Helpers shared by the SoS tests. */
final class SosTesting {

	static final long MIB = 1 << 20;

	private SosTesting() {
	}

	static Path tempDirectory(String prefix) {
		try {
			return Files.createTempDirectory("hedge-sos-" + prefix + "-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Membership of the SoS clusters: heartbeat every 500 ms, but removal only after 10 s of silence, so a loaded
	 * machine does not make a member drop out of the placement order in the middle of a test.
	 */
	static final MembershipOptions MEMBERSHIP = new MembershipOptions(Duration.ofMillis(500), Duration.ofSeconds(10));

	/** Starts a member with these SoS limits (each member gets its own directory). */
	static HedgeNode start(TestNodes nodes, long memory, long disk, Duration ttl) {
		return nodes.start((builder) -> builder.membership(MEMBERSHIP).spillOver(options(memory, disk, ttl)));
	}

	static SpillOverOptions options(long memory, long disk, Duration ttl) {
		return new SpillOverOptions(memory, disk, tempDirectory("node"), ttl);
	}

	/** Records of 1..maxSize bytes, random content, from a fixed seed, until {@code total} bytes. */
	static List<byte[]> records(long seed, long total, int maxSize) {
		Random random = new Random(seed);
		List<byte[]> records = new ArrayList<>();
		long bytes = 0;
		while (bytes < total) {
			byte[] record = new byte[1 + random.nextInt(maxSize)];
			random.nextBytes(record);
			records.add(record);
			bytes += record.length;
		}
		return records;
	}

	/** SHA-256 over the sequence: each record's length, then its bytes (so boundaries count). */
	static final class Digest {

		private final MessageDigest digest;

		private long records;

		Digest() {
			try {
				this.digest = MessageDigest.getInstance("SHA-256");
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException(ex);
			}
		}

		void add(byte[] record) {
			this.digest.update(ByteBuffer.allocate(4).putInt(record.length).array());
			this.digest.update(record);
			this.records++;
		}

		long records() {
			return this.records;
		}

		String hex() {
			return HexFormat.of().formatHex(this.digest.digest());
		}

	}

	static String sha256(List<byte[]> records) {
		Digest digest = new Digest();
		records.forEach(digest::add);
		return digest.hex();
	}

	static String sha256(SpillOverStore store) {
		Digest digest = new Digest();
		store.read(digest::add);
		return digest.hex();
	}

	static long dataFiles(Path directory) {
		if (!Files.isDirectory(directory)) {
			return 0;
		}
		try (Stream<Path> files = Files.list(directory)) {
			return files.filter((file) -> file.getFileName().toString().endsWith(".dat")).count();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Nothing held: no store, no held segment, no budget used, no off-heap memory, no data file. */
	static void assertNothingLeft(HedgeNode node) {
		SpillOverStats stats = node.spillOver().stats();
		assertThat(stats.stores()).as("stores on %s", node.nodeId()).isZero();
		assertThat(stats.heldSegments()).as("held segments on %s", node.nodeId()).isZero();
		assertThat(stats.memoryUsedBytes()).as("memory reserved on %s", node.nodeId()).isZero();
		assertThat(stats.offHeapBytes()).as("off-heap memory on %s", node.nodeId()).isZero();
		assertThat(stats.diskUsedBytes()).as("disk used on %s", node.nodeId()).isZero();
		assertThat(stats.dataFiles()).as("data files on %s", node.nodeId()).isZero();
		assertThat(dataFiles(node.spillOver().options().directory())).as("files in the directory of %s",
				node.nodeId()).isZero();
	}

	static boolean nothingLeft(HedgeNode node) {
		try {
			assertNothingLeft(node);
			return true;
		}
		catch (AssertionError ex) {
			return false;
		}
	}

	static void awaitNothingLeft(List<HedgeNode> nodes, Duration within) {
		await().atMost(Timing.scaled(within))
			.untilAsserted(() -> nodes.forEach(SosTesting::assertNothingLeft));
	}

	static void awaitMembers(List<HedgeNode> nodes) {
		await().atMost(Timing.seconds(15))
			.until(() -> nodes.stream().allMatch((node) -> node.members().size() == nodes.size()));
	}

	/**
	 * The member whose id sorts in the middle, so that "start after this member and wrap around" differs from plain
	 * sorted order.
	 */
	static HedgeNode middle(List<HedgeNode> nodes) {
		List<String> sorted = nodes.stream().map(HedgeNode::nodeId).sorted().toList();
		return byId(nodes, sorted.get(sorted.size() / 2));
	}

	/** The other members in the documented placement order, seen from {@code origin}. */
	static List<String> placementOrder(HedgeNode origin, List<HedgeNode> nodes) {
		List<String> sorted = new ArrayList<>(nodes.stream().map(HedgeNode::nodeId).sorted().toList());
		List<String> order = new ArrayList<>();
		for (String id : sorted) {
			if (id.compareTo(origin.nodeId()) > 0) {
				order.add(id);
			}
		}
		for (String id : sorted) {
			if (id.compareTo(origin.nodeId()) < 0) {
				order.add(id);
			}
		}
		return order;
	}

	static HedgeNode byId(List<HedgeNode> nodes, String id) {
		return nodes.stream().filter((node) -> node.nodeId().equals(id)).findFirst().orElseThrow();
	}

	/** Writes the records in one session and returns how many are stored once the writer is closed. */
	static long write(SpillOverStore store, List<byte[]> records) {
		SosWriter writer = store.writer();
		try {
			for (byte[] record : records) {
				writer.write(record);
			}
		}
		finally {
			writer.close();
		}
		return writer.recordsStored();
	}

}
