package dev.hedge.sample;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.hedge.testsupport.AppProcesses;
import dev.hedge.testsupport.AppProcesses.Member;
import dev.hedge.testsupport.Timing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The likes service's durable mode across a SIGKILL of the whole group: three sample-app JVMs ({@code java -jar},
 * {@code --hedge.crdt.durable=true}, likes acknowledged by a majority) take likes from 10 concurrent clients over
 * HTTP (30 % of them sent again to another instance, as a client retry); when half of them are acknowledged, all three
 * JVMs are SIGKILLed at once, with requests in flight. Three new JVMs start on the same store and every instance must
 * count, per post, every acknowledged like and nothing beyond the likes that were sent: 0 lost, 0 over-counted.
 */
class LikesSigkillIT {

	private static final int POSTS = 20;

	private static final int USERS = 30;

	@Test
	void aWholeGroupSigkilledLosesNoAcknowledgedLike() throws Exception {
		Path store = Files.createTempDirectory("hedge-it-likes");
		List<String> args = List.of("--hedge.election.lease-duration=3s", "--hedge.election.renew-interval=1s",
				"--hedge.election.poll-interval=500ms", "--hedge.membership.heartbeat-interval=500ms",
				"--hedge.membership.member-timeout=3s",
				"--spring.application.name=hedge-it-" + UUID.randomUUID().toString().substring(0, 8),
				"--hedge.embedded.path=" + store, "--hedge.crdt.durable=true", "--sample.leader-task-rate=1h");
		try (AppProcesses cluster = new AppProcesses(
				Path.of(System.getProperty("hedge.sample.jar", "target/hedge-sample-app.jar")), Path.of("."),
				Path.of("target", "it-logs"), args, Map.of())) {
			List<Member> first = List.of(cluster.start("likes-a"), cluster.start("likes-b"), cluster.start("likes-c"));
			formed(cluster, first);

			Map<Integer, Set<String>> attempted = new ConcurrentHashMap<>();
			Map<Integer, Set<String>> acknowledged = new ConcurrentHashMap<>();
			int likes = POSTS * USERS;
			CountDownLatch half = new CountDownLatch(likes / 2);
			AtomicInteger retries = new AtomicInteger();
			AtomicInteger clientIds = new AtomicInteger();
			ExecutorService clients = Executors.newFixedThreadPool(10,
					(task) -> new Thread(task, "likes-it-client-" + clientIds.incrementAndGet()));
			List<Future<?>> work = new ArrayList<>();
			long start = System.nanoTime();
			for (int i = 0; i < likes; i++) {
				int n = i;
				work.add(clients.submit(() -> {
					int post = n % POSTS;
					String user = "user-" + (n / POSTS);
					int copies = (Math.floorMod(n * 7919, 10) < 3) ? 2 : 1;
					boolean ok = false;
					for (int copy = 0; copy < copies; copy++) {
						attempted.computeIfAbsent(post, (p) -> ConcurrentHashMap.newKeySet()).add(user);
						try {
							HttpResponse<String> response = cluster.send(first.get((n + copy) % 3),
									"/likes/post-" + post, "POST", "text/plain", user);
							ok |= response.statusCode() == 200;
						}
						catch (IOException ex) {
							// the instance is gone: not acknowledged
						}
						if (copy > 0) {
							retries.incrementAndGet();
						}
					}
					if (ok) {
						acknowledged.computeIfAbsent(post, (p) -> ConcurrentHashMap.newKeySet()).add(user);
						half.countDown();
					}
					return null;
				}));
			}
			assertThat(half.await(90, TimeUnit.SECONDS)).as("half of the likes acknowledged").isTrue();
			long killedAt = System.nanoTime();
			for (Member member : first) {
				member.process().destroyForcibly();
			}
			for (Member member : first) {
				assertThat(member.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
			}
			for (Future<?> future : work) {
				future.get(60, TimeUnit.SECONDS);
			}
			clients.shutdown();
			int acked = acknowledged.values().stream().mapToInt(Set::size).sum();
			int sent = attempted.values().stream().mapToInt(Set::size).sum();

			long restart = System.nanoTime();
			List<Member> second = List.of(cluster.start("likes-a2"), cluster.start("likes-b2"),
					cluster.start("likes-c2"));
			formed(cluster, second);
			await().atMost(Timing.seconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
				for (Member member : second) {
					int lost = 0;
					int over = 0;
					for (int post = 0; post < POSTS; post++) {
						HttpResponse<String> response = cluster.get(member, "/likes/post-" + post);
						assertThat(response.statusCode()).isEqualTo(200);
						int count = Integer.parseInt(response.body().strip());
						lost += Math.max(0, acknowledged.getOrDefault(post, Set.of()).size() - count);
						over += Math.max(0, count - attempted.getOrDefault(post, Set.of()).size());
					}
					assertThat(lost).as("acknowledged likes missing on %s", member).isZero();
					assertThat(over).as("likes counted beyond those sent on %s", member).isZero();
				}
			});
			System.out.printf("[LikesSigkillIT] %d likes attempted (%d client retries), %d acknowledged by a majority"
					+ " when all 3 JVMs were SIGKILLed %d ms in; 3 new JVMs counted all of them %d ms after the"
					+ " restart began: 0 lost, 0 over-counted%n", sent, retries.get(), acked,
					(killedAt - start) / 1_000_000, (System.nanoTime() - restart) / 1_000_000);
		}
	}

	private static void formed(AppProcesses cluster, List<Member> members) {
		await().atMost(Timing.seconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
			cluster.requireRunning(members);
			return cluster.leader().isPresent() && members.stream().allMatch((m) -> cluster.memberCount(m) == 3);
		});
	}

}
