package dev.hedge.spring.annotation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

import dev.hedge.HedgeNode;
import dev.hedge.election.LeadershipEvent;
import dev.hedge.spring.HedgeLeadershipEvent;
import dev.hedge.spring.TestApplications;
import dev.hedge.testsupport.EmbeddedDatabaseExtension;
import dev.hedge.testsupport.EmbeddedTestDatabase;
import dev.hedge.testsupport.Timing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three Spring Boot applications in one JVM on one store: an {@code @OnLeader(fixedRate = "100ms")} task runs on one
 * application at a time, only within that application's terms, and moves to another application within a second of
 * the leading one closing (interrupting a running execution first); the {@code @OnLeader} guard lets a
 * {@code @Scheduled} method run only on the leader. Executions are recorded on {@link System#nanoTime()}, the clock
 * hedge's leadership events are stamped with.
 */
@ExtendWith(EmbeddedDatabaseExtension.class)
class OnLeaderClusterTests {

	static final Queue<Execution> EXECUTIONS = new ConcurrentLinkedQueue<>();

	static final Queue<Execution> HOLDS = new ConcurrentLinkedQueue<>();

	static final Queue<Call> HOLD_STARTS = new ConcurrentLinkedQueue<>();

	static final Queue<Call> GUARDED_CALLS = new ConcurrentLinkedQueue<>();

	static final Queue<Term> TERMS = new ConcurrentLinkedQueue<>();

	private final TestApplications apps;

	OnLeaderClusterTests(EmbeddedTestDatabase database) {
		this.apps = new TestApplications(database.directory().resolve("store"), "on-leader-" + UUID.randomUUID());
	}

	@BeforeEach
	void clear() {
		EXECUTIONS.clear();
		HOLDS.clear();
		HOLD_STARTS.clear();
		GUARDED_CALLS.clear();
		TERMS.clear();
	}

	@AfterEach
	void stop() {
		this.apps.close();
	}

	@Test
	void onLeaderTaskRunsOnOneApplicationAtATimeAndMovesWithinASecondWhenTheLeaderCloses() {
		startCluster();
		ConfigurableApplicationContext leading = this.apps.leader().orElseThrow();
		String first = name(leading);
		await().atMost(Timing.seconds(5)).until(() -> executionsOf(first) >= 5);

		long closing = System.nanoTime();
		leading.close();
		await().atMost(Timing.seconds(5))
			.pollInterval(Duration.ofMillis(5))
			.until(() -> firstExecutionElsewhere(first, closing).isPresent());
		Execution moved = firstExecutionElsewhere(first, closing).orElseThrow();
		long moveMillis = (moved.start() - closing) / 1_000_000;
		System.out.printf("[OnLeaderClusterTests] @OnLeader task moved from %s to %s %d ms after close()%n", first,
				moved.app(), moveMillis);
		assertThat(moveMillis).as("time from close() to the first execution on another application")
			.isLessThan(1000);
		await().atMost(Timing.seconds(5)).until(() -> executionsOf(moved.app()) >= 5);

		List<Execution> executions = new ArrayList<>(EXECUTIONS);
		executions.sort(Comparator.comparingLong(Execution::start));
		System.out.printf("[OnLeaderClusterTests] %d executions (%d interrupted), %d terms%n", executions.size(),
				executions.stream().filter(Execution::interrupted).count(), TERMS.size());
		for (int i = 1; i < executions.size(); i++) {
			assertThat(executions.get(i).start()).as("executions never overlap: %s then %s", executions.get(i - 1),
					executions.get(i))
				.isGreaterThanOrEqualTo(executions.get(i - 1).end());
		}
		assertThat(executions).allSatisfy((execution) -> {
			assertThat(execution.leading()).as("ran while its application led: %s", execution).isTrue();
			assertThat(execution.grantEpoch()).as("got its term's grant: %s", execution)
				.isEqualTo(execution.nodeEpoch());
			assertThat(TERMS).as("started within a term of its application: %s", execution)
				.anySatisfy((term) -> assertThat(term.contains(execution)).isTrue());
		});
		assertThat(executions).extracting(Execution::app).containsOnly(first, moved.app());

		Call next = HOLD_STARTS.stream().filter((start) -> !start.app().equals(first)).findFirst().orElseThrow();
		assertThat(HOLDS).as("the long execution on the closed leader was interrupted on revoke, and the next leader "
				+ "started it only afterwards")
			.singleElement()
			.satisfies((hold) -> {
				assertThat(hold.app()).isEqualTo(first);
				assertThat(hold.interrupted()).isTrue();
				assertThat(next.at()).isGreaterThanOrEqualTo(hold.end());
			});
	}

	@Test
	void guardedScheduledMethodRunsOnlyOnTheLeader() {
		List<ConfigurableApplicationContext> contexts = startCluster();
		ConfigurableApplicationContext leading = this.apps.leader().orElseThrow();
		await().atMost(Timing.seconds(5)).until(() -> GUARDED_CALLS.size() >= 20);
		assertThat(GUARDED_CALLS).allSatisfy((call) -> assertThat(call.leading()).isTrue());
		assertThat(GUARDED_CALLS).extracting(Call::app).containsOnly(name(leading));
		for (ConfigurableApplicationContext context : contexts) {
			Optional<String> answer = context.getBean(Jobs.class).leaderName();
			assertThat(answer).as("a direct call is skipped unless leading")
				.isEqualTo((context == leading) ? Optional.of(name(context)) : Optional.empty());
		}
	}

	private List<ConfigurableApplicationContext> startCluster() {
		List<ConfigurableApplicationContext> contexts = List.of(start("a"), start("b"), start("c"));
		await().atMost(Timing.seconds(15)).until(() -> this.apps.leader().isPresent()
				&& contexts.stream().allMatch((c) -> TestApplications.node(c).members().size() == 3));
		return contexts;
	}

	private ConfigurableApplicationContext start(String name) {
		return this.apps.start(new Class<?>[] { JobsApp.class }, "--app.name=" + name);
	}

	private static String name(ConfigurableApplicationContext context) {
		return context.getEnvironment().getProperty("app.name");
	}

	private static long executionsOf(String app) {
		return EXECUTIONS.stream().filter((execution) -> execution.app().equals(app)).count();
	}

	private static Optional<Execution> firstExecutionElsewhere(String app, long after) {
		return EXECUTIONS.stream()
			.filter((execution) -> !execution.app().equals(app) && execution.start() > after)
			.min(Comparator.comparingLong(Execution::start));
	}

	record Execution(String app, long start, long end, boolean leading, long grantEpoch, long nodeEpoch,
			boolean interrupted) {
	}

	record Call(String app, boolean leading, long at) {
	}

	/** A term of an application, from its grant to its revoke (open while it leads). */
	record Term(String app, long epoch, long granted, long[] revoked) {

		boolean contains(Execution execution) {
			return this.app.equals(execution.app()) && this.epoch == execution.grantEpoch()
					&& execution.start() >= this.granted
					&& (this.revoked[0] == 0 || execution.start() <= this.revoked[0]);
		}

	}

	static class Jobs {

		private final String name;

		private final HedgeNode node;

		Jobs(@Value("${app.name}") String name, HedgeNode node) {
			this.name = name;
			this.node = node;
		}

		@OnLeader(fixedRate = "100ms")
		void report(LeadershipEvent grant) {
			long start = System.nanoTime();
			boolean leading = this.node.isLeader();
			long epoch = this.node.epoch();
			boolean interrupted = false;
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				interrupted = true;
				Thread.currentThread().interrupt();
			}
			finally {
				EXECUTIONS.add(new Execution(this.name, start, System.nanoTime(), leading, grant.epoch(), epoch,
						interrupted));
			}
		}

		@OnLeader(fixedDelay = "10ms")
		void hold() {
			long start = System.nanoTime();
			HOLD_STARTS.add(new Call(this.name, this.node.isLeader(), start));
			boolean interrupted = false;
			try {
				Thread.sleep(60_000);
			}
			catch (InterruptedException ex) {
				interrupted = true;
			}
			finally {
				HOLDS.add(new Execution(this.name, start, System.nanoTime(), this.node.isLeader(), 0, 0, interrupted));
			}
		}

		@Scheduled(fixedRate = 50)
		@OnLeader
		public void cleanUp() {
			GUARDED_CALLS.add(new Call(this.name, this.node.isLeader(), System.nanoTime()));
		}

		@OnLeader
		public Optional<String> leaderName() {
			return Optional.of(this.name);
		}

		@EventListener
		void leadership(HedgeLeadershipEvent event) {
			LeadershipEvent core = event.getLeadershipEvent();
			if (core.granted()) {
				TERMS.add(new Term(this.name, core.epoch(), core.atNanos(), new long[1]));
			}
			else {
				TERMS.stream()
					.filter((term) -> term.app().equals(this.name) && term.epoch() == core.epoch())
					.forEach((term) -> term.revoked()[0] = core.atNanos());
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableScheduling
	@Import(Jobs.class)
	static class JobsApp {

	}

}
