package dev.hedge.replicator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.hedge.HedgeNode;
import dev.hedge.TestNodes;
import dev.hedge.store.HedgeStore;
import dev.hedge.testsupport.EmbeddedDatabaseExtension;
import dev.hedge.testsupport.EmbeddedTestDatabase;
import dev.hedge.testsupport.Stores;
import dev.hedge.testsupport.Timing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The likes service of the seed on five real members, one grow-only set of users per post ({@code likes/<post>}, as
 * the sample application keeps them): 100 000 likes (500 posts x 200 users) sent by 16 clients to
 * random members with MAJORITY writes, 30 % of them sent again (a client retry, to any member), a failed call retried
 * on another member, and two members killed (halted, as if SIGKILLed) along the way. Every member left must end with
 * exactly the likes sent: 0 over-counts, 0 under-counts.
 */
@ExtendWith(EmbeddedDatabaseExtension.class)
class ReplicatorLikesClusterTests {

	private static final int POSTS = 500;

	private static final int USERS_PER_POST = 200;

	private final HedgeStore store;

	private TestNodes nodes;

	ReplicatorLikesClusterTests(EmbeddedTestDatabase database) {
		this.store = Stores.embedded(database);
	}

	@AfterEach
	void stop() {
		this.nodes.close();
		this.store.close();
	}

	@Test
	void hundredThousandLikesWithRetriesAndTwoKillsAreCountedExactlyOnce() throws Exception {
		this.nodes = new TestNodes(this.store);
		List<HedgeNode> live = new CopyOnWriteArrayList<>(this.nodes.startAll(5, (builder) -> {
		}));
		List<String[]> likes = new ArrayList<>();
		for (int post = 0; post < POSTS; post++) {
			for (int user = 0; user < USERS_PER_POST; user++) {
				likes.add(new String[] { "post-" + post, "user-" + user });
			}
		}
		Collections.shuffle(likes, new Random(17));
		ConcurrentLinkedQueue<String[]> queue = new ConcurrentLinkedQueue<>(likes);
		Consistency majority = Consistency.majority(Timing.scaled(Duration.ofSeconds(3)));
		AtomicInteger acknowledged = new AtomicInteger();
		AtomicLong sent = new AtomicLong();
		AtomicLong retries = new AtomicLong();
		AtomicLong failures = new AtomicLong();
		List<String> killed = new CopyOnWriteArrayList<>();
		AtomicInteger clientIds = new AtomicInteger();
		ExecutorService clients = Executors.newFixedThreadPool(16,
				(task) -> new Thread(task, "likes-client-" + clientIds.incrementAndGet()));
		long start = System.nanoTime();
		List<Future<?>> running = new ArrayList<>();
		for (int c = 0; c < 16; c++) {
			running.add(clients.submit(() -> {
				String[] like;
				while ((like = queue.poll()) != null) {
					send(live, like, majority, sent, failures);
					if (ThreadLocalRandom.current().nextInt(100) < 30) {
						send(live, like, majority, sent, failures);
						retries.incrementAndGet();
					}
					int done = acknowledged.incrementAndGet();
					if (done == 30_000 || done == 60_000) {
						HedgeNode victim = live.get(ThreadLocalRandom.current().nextInt(live.size()));
						live.remove(victim);
						killed.add(victim.nodeId());
						this.nodes.halt(victim);
					}
				}
				return null;
			}));
		}
		try {
			for (Future<?> client : running) {
				client.get();
			}
		}
		finally {
			clients.shutdownNow();
		}
		long sendMillis = (System.nanoTime() - start) / 1_000_000;
		await().atMost(Timing.seconds(30)).until(() -> ReplicatorPartitionTests.sameValues(live));
		long convergedMillis = (System.nanoTime() - start) / 1_000_000;

		Map<String, Set<String>> expected = new HashMap<>();
		for (String[] like : likes) {
			expected.computeIfAbsent(like[0], (p) -> new HashSet<>()).add(like[1]);
		}
		for (HedgeNode member : live) {
			long over = 0;
			long under = 0;
			long counted = 0;
			Set<String> posts = new HashSet<>();
			member.replicator().names().keySet().stream().filter((n) -> n.startsWith("likes/")).forEach(
					(n) -> posts.add(n.substring("likes/".length())));
			for (Map.Entry<String, Set<String>> post : expected.entrySet()) {
				Set<String> users = member.replicator()
					.growOnlySet("likes/" + post.getKey(), String.class)
					.elements(Consistency.local());
				counted += users.size();
				under += post.getValue().stream().filter((u) -> !users.contains(u)).count();
				over += users.stream().filter((u) -> !post.getValue().contains(u)).count();
			}
			assertThat(posts).isEqualTo(expected.keySet());
			assertThat(over).as("over-counts on %s", member.nodeId()).isZero();
			assertThat(under).as("under-counts on %s", member.nodeId()).isZero();
			assertThat(counted).as("likes counted on %s", member.nodeId()).isEqualTo(POSTS * USERS_PER_POST);
		}
		assertThat(killed).hasSize(2);
		System.out.printf("100 000 likes (%d calls, %d client retries, %d failed calls retried elsewhere, killed %s):"
				+ " acknowledged in %d ms (%.0f likes/s), all %d members equal after %d ms, 0 over-counts,"
				+ " 0 under-counts%n", sent.get(), retries.get(), failures.get(), killed, sendMillis,
				likes.size() * 1000.0 / sendMillis, live.size(), convergedMillis);
	}

	/** Sends one like until a member acknowledges it with the consistency, moving on after a failure. */
	private static void send(List<HedgeNode> live, String[] like, Consistency consistency, AtomicLong sent,
			AtomicLong failures) {
		for (int attempt = 0; attempt < 50; attempt++) {
			List<HedgeNode> members = List.copyOf(live);
			HedgeNode member = members.get(ThreadLocalRandom.current().nextInt(members.size()));
			sent.incrementAndGet();
			try {
				member.replicator().growOnlySet("likes/" + like[0], String.class).add(like[1], consistency);
				return;
			}
			catch (RuntimeException ex) {
				failures.incrementAndGet();
			}
		}
		throw new AssertionError("like " + like[0] + "/" + like[1] + " was never acknowledged");
	}

}
