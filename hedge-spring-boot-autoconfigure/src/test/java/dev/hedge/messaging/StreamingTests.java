package dev.hedge.messaging;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Streaming send-to-leader and streaming broadcast between three real nodes: isolation between concurrent streams,
 * end of input reaching the handler, flow control, failures.
 */
@ExtendWith(EmbeddedDatabaseExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamingTests {

	private static final int SLOW_MESSAGES = 150;

	private final HedgeStore store;

	private final AtomicInteger slowProcessed = new AtomicInteger();

	private TestNodes nodes;

	private List<HedgeNode> cluster;

	StreamingTests(EmbeddedTestDatabase database) {
		this.store = Stores.embedded(database);
	}

	static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	static String text(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

	/** Echoes each message upper-cased; on end of input replies "end:<count>"; "slow" streams sleep per message. */
	private StreamHandler leaderStreams() {
		return (context) -> new StreamSession() {
			private int count;

			private boolean slow;

			@Override
			public void onMessage(byte[] message) throws Exception {
				String text = text(message);
				this.count++;
				if (text.equals("fail")) {
					throw new IllegalStateException("asked to fail");
				}
				if (text.startsWith("slow")) {
					this.slow = true;
				}
				if (this.slow) {
					Thread.sleep(5);
					StreamingTests.this.slowProcessed.incrementAndGet();
					return;
				}
				context.reply(bytes(text.toUpperCase(Locale.ROOT)));
			}

			@Override
			public void onEnd() {
				context.reply(bytes("end:" + this.count));
			}
		};
	}

	@BeforeAll
	void startCluster() {
		this.nodes = new TestNodes(this.store);
		this.cluster = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			this.cluster.add(this.nodes.start((builder) -> builder.leaderStreamHandler(leaderStreams())
				.broadcastStreamHandler((context) -> new StreamSession() {
					private final StringBuilder seen = new StringBuilder();

					@Override
					public void onMessage(byte[] message) {
						this.seen.append(text(message));
					}

					@Override
					public void onEnd() {
						context.reply(bytes(context.sender() + "->" + this.seen));
					}
				})));
		}
		await().atMost(Timing.seconds(15)).until(() -> this.nodes.leader().isPresent()
				&& this.cluster.stream().allMatch((n) -> n.members().size() == 3));
	}

	@AfterAll
	void stop() {
		this.nodes.close();
		this.store.close();
	}

	@Test
	void concurrentStreamsToTheLeaderEachGetOnlyTheirOwnRepliesAndTheEndOfInput() throws Exception {
		List<CompletableFuture<List<String>>> results = new ArrayList<>();
		for (int s = 0; s < 3; s++) {
			HedgeNode sender = this.cluster.get(s);
			String tag = "s" + s + "-";
			results.add(CompletableFuture.supplyAsync(() -> {
				try (MessageStream stream = sender.messenger().openLeaderStream()) {
					for (int i = 0; i < 50; i++) {
						stream.send(bytes(tag + i));
					}
					stream.complete();
					return stream.remainingReplies().stream().map(StreamingTests::text).toList();
				}
			}));
		}
		for (int s = 0; s < 3; s++) {
			List<String> replies = results.get(s).get();
			assertThat(replies).hasSize(51);
			for (int i = 0; i < 50; i++) {
				assertThat(replies.get(i)).isEqualTo(("s" + s + "-" + i).toUpperCase(Locale.ROOT));
			}
			assertThat(replies.get(50)).isEqualTo("end:50");
		}
	}

	@Test
	void aSlowHandlerHoldsTheSenderBack() {
		this.slowProcessed.set(0);
		HedgeNode sender = this.nodes.followers().get(0);
		byte[] chunk = new byte[100 * 1024];
		chunk[0] = 's';
		chunk[1] = 'l';
		chunk[2] = 'o';
		chunk[3] = 'w';
		int maxAhead = 0;
		try (MessageStream stream = sender.messenger().openLeaderStream()) {
			for (int i = 0; i < SLOW_MESSAGES; i++) {
				stream.send(chunk);
				maxAhead = Math.max(maxAhead, i + 1 - this.slowProcessed.get());
			}
			stream.complete();
			assertThat(text(stream.nextReply())).isEqualTo("end:" + SLOW_MESSAGES);
		}
		System.out.printf("[StreamingTests] at most %d of %d messages (100 KiB each) were ahead of a 5 ms/message"
				+ " handler%n", maxAhead, SLOW_MESSAGES);
		assertThat(maxAhead).as("messages in flight ahead of the handler").isLessThan(SLOW_MESSAGES / 2);
	}

	@Test
	void aFailingSessionFailsOnlyItsOwnStream() {
		HedgeNode sender = this.cluster.get(0);
		try (MessageStream failing = sender.messenger().openLeaderStream();
				MessageStream healthy = sender.messenger().openLeaderStream()) {
			healthy.send(bytes("a"));
			failing.send(bytes("fail"));
			assertThatExceptionOfType(HandlerFailedException.class).isThrownBy(failing::nextReply)
				.withMessageContaining("asked to fail");
			healthy.send(bytes("b"));
			healthy.complete();
			assertThat(healthy.remainingReplies().stream().map(StreamingTests::text)).containsExactly("A", "B", "end:2");
		}
	}

	@Test
	void broadcastStreamReachesEveryMemberInItsOwnSession() {
		HedgeNode sender = this.cluster.get(1);
		try (BroadcastStream stream = sender.messenger().openBroadcastStream(BroadcastOptions.all())) {
			stream.send(bytes("x"));
			stream.send(bytes("y"));
			stream.complete();
			assertThat(stream.streams()).hasSize(3);
			for (Map.Entry<String, MessageStream> member : stream.streams().entrySet()) {
				assertThat(member.getValue().remainingReplies().stream().map(StreamingTests::text))
					.containsExactly(sender.nodeId() + "->xy");
			}
			assertThat(stream.failures()).isEmpty();
		}
	}

}
