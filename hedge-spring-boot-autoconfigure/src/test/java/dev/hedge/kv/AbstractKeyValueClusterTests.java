package dev.hedge.kv;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.hedge.HedgeNode;
import dev.hedge.TestNodes;
import dev.hedge.messaging.MessagingException;
import dev.hedge.semaphore.SemaphoreRows;
import dev.hedge.store.HedgeStore;
import dev.hedge.testsupport.Timing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The key/value log across real nodes: forwarding to the leader, reads from any member, reserved keys, the
 * no-append slot, awkward text, and no lost or duplicated puts while the leader is killed twice.
 */
abstract class AbstractKeyValueClusterTests {

	private final HedgeStore store;

	private TestNodes nodes;

	AbstractKeyValueClusterTests(HedgeStore store) {
		this.store = store;
	}

	@AfterEach
	void stop() {
		if (this.nodes != null) {
			this.nodes.close();
		}
	}

	@AfterAll
	void closeStore() {
		this.store.close();
	}

	private List<HedgeNode> cluster(int size) {
		this.nodes = new TestNodes(this.store);
		return this.nodes.startAll(size, (builder) -> {
		});
	}

	static String key(String name) {
		return name + "-" + java.util.UUID.randomUUID();
	}

	@Test
	void putFromAnyMemberIsWrittenByTheLeaderAndReadableEverywhere() {
		List<HedgeNode> cluster = cluster(3);
		HedgeNode leader = this.nodes.leader().orElseThrow();
		String key = key("k");
		List<Instant> stamps = new ArrayList<>();
		for (HedgeNode node : cluster) {
			stamps.add(node.kv().put(key, "from " + node.nodeId()));
		}
		assertThat(stamps).isSortedAccordingTo(Instant::compareTo).doesNotHaveDuplicates();
		for (HedgeNode node : cluster) {
			KeyValue latest = node.kv().get(key).orElseThrow();
			assertThat(latest.value()).isEqualTo("from " + cluster.get(2).nodeId());
			assertThat(latest.writer()).as("rows are written by the leader").isEqualTo(leader.nodeId());
			assertThat(latest.timestamp()).isEqualTo(stamps.get(2));
			assertThat(node.kv().history(key)).extracting(KeyValue::value)
				.containsExactly("from " + cluster.get(2).nodeId(), "from " + cluster.get(1).nodeId(),
						"from " + cluster.get(0).nodeId());
			assertThat(node.kv().newest(key, 2)).hasSize(2);
			assertThat(node.kv().oldest(key).orElseThrow().value()).isEqualTo("from " + cluster.get(0).nodeId());
		}
		assertThat(cluster.get(1).kv().get(key("unknown"))).isEmpty();
		assertThat(cluster.get(1).kv().history(key("unknown"))).isEmpty();
	}

	@Test
	void directWriteFromAFollowerIsWrittenUnderItsOwnId() {
		cluster(2);
		HedgeNode follower = this.nodes.followers().get(0);
		String key = key("direct");
		Instant at = follower.kv().put(key, "direct value", PutOptions.DIRECT);
		KeyValue read = follower.kv().get(key).orElseThrow();
		assertThat(read.writer()).isEqualTo(follower.nodeId());
		assertThat(read.timestamp()).isEqualTo(at);
		assertThat(read.value()).isEqualTo("direct value");
	}

	@Test
	void reservedKeysAreRefusedOnWriteAndHiddenOnRead() {
		List<HedgeNode> cluster = cluster(2);
		HedgeNode follower = this.nodes.followers().get(0);
		for (String reserved : List.of("__hedge/semaphore/x", "__hedge/anything", "__caller=10.0.0.1:8080")) {
			assertThatExceptionOfType(InvalidKeyValueException.class)
				.isThrownBy(() -> follower.kv().put(reserved, "v"))
				.withMessageContaining("reserved");
		}
		cluster.get(0).semaphore("hidden", 1);
		String hidden = SemaphoreRows.key(this.nodes.group(), "hidden");
		assertThat(follower.kv().history(hidden)).isEmpty();
		assertThat(this.store.log().read(hidden, LogQuery.all(), Duration.ofSeconds(5))).isNotEmpty();
		assertThatExceptionOfType(InvalidKeyValueException.class).isThrownBy(() -> follower.kv().put("", "v"));
		assertThatExceptionOfType(InvalidKeyValueException.class)
			.isThrownBy(() -> follower.kv().put("big", "x".repeat(KeyValueOptions.DEFAULTS.maxValueBytes() + 1)));
	}

	@Test
	void noAppendOverwritesOneSlotAndRetriedIdsNeverDuplicate() {
		cluster(2);
		HedgeNode follower = this.nodes.followers().get(0);
		String key = key("slot");
		follower.kv().put(key, "appended");
		follower.kv().put(key, "slot-1", PutOptions.NO_APPEND);
		Instant last = follower.kv().put(key, "slot-2", PutOptions.NO_APPEND);
		assertThat(follower.kv().history(key)).extracting(KeyValue::value).containsExactly("slot-2", "appended");
		assertThat(follower.kv().get(key).orElseThrow().timestamp()).isEqualTo(last);

		String retried = key("retry");
		Instant first = follower.kv().put(retried, "once", "client-id-1", Duration.ofSeconds(5));
		Instant second = follower.kv().put(retried, "once", "client-id-1", Duration.ofSeconds(5));
		assertThat(second).isEqualTo(first);
		assertThat(follower.kv().history(retried)).hasSize(1);
	}

	@Test
	void awkwardKeysAndValuesRoundTripThroughTheLeader() {
		cluster(2);
		HedgeNode follower = this.nodes.followers().get(0);
		for (String text : List.of("it's \"quoted\"", "-- comment", "/* block */", "back\\slash\\\\",
				"'; DROP TABLE hedge_log; --", "naïve café Ωμέγα 漢字 🚀", "tab\tnew\nline", "%_")) {
			String key = text + "|" + java.util.UUID.randomUUID();
			follower.kv().put(key, text);
			KeyValue read = follower.kv().get(key).orElseThrow();
			assertThat(read.key()).isEqualTo(key);
			assertThat(read.value()).isEqualTo(text);
		}
	}

	@Test
	void concurrentPutsWhileTheLeaderIsKilledTwiceLoseAndDuplicateNothing() throws Exception {
		List<HedgeNode> cluster = cluster(5);
		List<String> keys = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			keys.add(key("k" + i));
		}
		Map<String, Set<String>> acked = new ConcurrentHashMap<>();
		Map<String, Set<String>> attempted = new ConcurrentHashMap<>();
		AtomicInteger failed = new AtomicInteger();
		AtomicBoolean stop = new AtomicBoolean();
		List<Thread> writers = new ArrayList<>();
		List<String> errors = new CopyOnWriteArrayList<>();
		for (HedgeNode node : cluster) {
			for (int t = 0; t < 2; t++) {
				String writer = node.nodeId() + "/" + t;
				Thread thread = new Thread(() -> {
					int seq = 0;
					while (!stop.get() && node.isRunning()) {
						String key = keys.get(Math.floorMod(seq * 7 + writer.hashCode(), keys.size()));
						String value = writer + "#" + seq++;
						attempted.computeIfAbsent(key, (k) -> ConcurrentHashMap.newKeySet()).add(value);
						try {
							node.kv().put(key, value);
							acked.computeIfAbsent(key, (k) -> ConcurrentHashMap.newKeySet()).add(value);
						}
						catch (MessagingException | IllegalStateException ex) {
							failed.incrementAndGet();
							if (node.isRunning()) {
								errors.add(ex.toString());
							}
						}
					}
				}, "test-writer-" + writer);
				thread.setDaemon(true);
				writers.add(thread);
				thread.start();
			}
		}
		for (int kill = 0; kill < 2; kill++) {
			await().atMost(Timing.seconds(5)).until(() -> ackedCount(acked) > 100);
			HedgeNode leader = this.nodes.leader().orElseThrow();
			int before = ackedCount(acked);
			this.nodes.halt(leader);
			await().atMost(Timing.seconds(20)).until(() -> this.nodes.leader().isPresent() && ackedCount(acked) > before + 200);
		}
		stop.set(true);
		for (Thread writer : writers) {
			writer.join(30_000);
		}
		HedgeNode reader = this.nodes.running().get(0);
		int lost = 0;
		int duplicates = 0;
		int phantoms = 0;
		int total = 0;
		for (String key : keys) {
			List<String> values = reader.kv().history(key).stream().map(KeyValue::value).toList();
			total += values.size();
			Set<String> seen = new HashSet<>();
			for (String value : values) {
				if (!seen.add(value)) {
					duplicates++;
				}
				if (!attempted.getOrDefault(key, Set.of()).contains(value)) {
					phantoms++;
				}
			}
			for (String value : acked.getOrDefault(key, Set.of())) {
				if (!seen.contains(value)) {
					lost++;
				}
			}
		}
		System.out.printf("[%s] %d acknowledged puts, %d rows, %d failed puts across 2 leader kills: lost %d,"
				+ " duplicates %d, phantoms %d%n", getClass().getSimpleName(), ackedCount(acked), total, failed.get(),
				lost, duplicates, phantoms);
		assertThat(lost).as("lost acknowledged puts").isZero();
		assertThat(duplicates).as("duplicate values").isZero();
		assertThat(phantoms).as("values nobody wrote").isZero();
		assertThat(ackedCount(acked)).isGreaterThan(400);
		assertThat(errors).as("failures on members that were not killed").isEmpty();
	}

	private static int ackedCount(Map<String, Set<String>> acked) {
		return acked.values().stream().mapToInt(Set::size).sum();
	}

}
