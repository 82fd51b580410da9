package dev.hedge.sos;

import java.time.Duration;
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
import static dev.hedge.sos.SosTesting.records;
import static dev.hedge.sos.SosTesting.sha256;
import static dev.hedge.sos.SosTesting.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A peer applies its own TTL (1 s here) to what it holds, the origin (30 s TTL) keeps its segments alive for as
 * long as its store lives, and the peer lets go within its own TTL once the origin is gone.
 */
@ExtendWith(EmbeddedDatabaseExtension.class)
class SosKeepAliveTests {

	private final HedgeStore store;

	private TestNodes nodes;

	private HedgeNode origin;

	private HedgeNode peer;

	SosKeepAliveTests(EmbeddedTestDatabase database) {
		this.store = Stores.embedded(database);
	}

	@BeforeEach
	void start() {
		this.nodes = new TestNodes(this.store);
		this.origin = SosTesting.start(this.nodes, 64 << 10, 0, Duration.ofSeconds(30));
		this.peer = SosTesting.start(this.nodes, MIB, 0, Duration.ofSeconds(1));
		SosTesting.awaitMembers(List.of(this.origin, this.peer));
	}

	@AfterEach
	void stop() {
		this.nodes.close();
	}

	@Test
	void theOriginKeepsItsSegmentsAliveOnAPeerWithAShorterTtlUntilItDeletesThem() {
		List<byte[]> records = records(41, 500 << 10, 16 << 10);
		SpillOverStore kept = this.origin.spillOver().store("kept-alive");
		write(kept, records);
		assertThat(kept.stats().peers()).containsKey(this.peer.nodeId());

		await().during(Timing.seconds(4)).atMost(Timing.seconds(10))
			.until(() -> this.peer.spillOver().stats().heldSegments() == 1);
		assertThat(sha256(kept)).isEqualTo(sha256(records));

		kept.close();
		await().during(Timing.seconds(3)).atMost(Timing.seconds(10))
			.until(() -> this.peer.spillOver().stats().heldSegments() == 1);
		kept.delete();
		SosTesting.assertNothingLeft(this.peer);
		SosTesting.assertNothingLeft(this.origin);
	}

	@Test
	void aPeerFreesWhatAHaltedOriginLeftWithinItsOwnTtl() {
		write(this.origin.spillOver().store("left"), records(42, 500 << 10, 16 << 10));
		assertThat(this.peer.spillOver().stats().heldSegments()).isEqualTo(1);
		long halted = System.nanoTime();
		this.nodes.halt(this.origin);
		await().atMost(Timing.seconds(10)).untilAsserted(() -> SosTesting.assertNothingLeft(this.peer));
		assertThat(System.nanoTime() - halted).as("well before the origin's 30 s TTL")
			.isLessThan(Duration.ofSeconds(15).toNanos());
	}

}
