package dev.hedge.spring.annotation;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

import dev.hedge.HedgeNode;
import dev.hedge.election.LeadershipEvent;
import dev.hedge.messaging.BroadcastResult;
import dev.hedge.messaging.InboundMessage;
import dev.hedge.spring.TestApplications;
import dev.hedge.testsupport.EmbeddedDatabaseExtension;
import dev.hedge.testsupport.EmbeddedTestDatabase;
import dev.hedge.testsupport.Timing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Annotated methods on beans another advisor proxies, as a JDK dynamic proxy (handlers and the guard declared on the
 * interface, the other advisor proxying first) or a CGLIB proxy (the guard proxying first): handlers, scheduled
 * tasks and guarded {@code @Scheduled} methods are all called through the proxy, so the other advice applies too.
 */
@ExtendWith(EmbeddedDatabaseExtension.class)
class ProxiedAnnotatedBeanTests {

	static final Map<String, AtomicInteger> ADVISED_CALLS = new ConcurrentHashMap<>();

	static final Queue<Boolean> TICKS = new ConcurrentLinkedQueue<>();

	static final Queue<Long> REPORTS = new ConcurrentLinkedQueue<>();

	private final TestApplications apps;

	ProxiedAnnotatedBeanTests(EmbeddedTestDatabase database) {
		this.apps = new TestApplications(database.directory().resolve("store"), "proxied-" + UUID.randomUUID());
	}

	@BeforeEach
	void clear() {
		ADVISED_CALLS.clear();
		TICKS.clear();
		REPORTS.clear();
	}

	@AfterEach
	void stop() {
		this.apps.close();
	}

	@ParameterizedTest(name = "proxy-target-class={0}, other advisor first={1}")
	@CsvSource({ "false, true", "true, false" })
	void annotatedMethodsAreCalledThroughTheProxy(boolean proxyTargetClass, boolean otherAdvisorFirst) {
		ConfigurableApplicationContext context = this.apps.start(new Class<?>[] { ProxiedApp.class },
				"--spring.aop.proxy-target-class=" + proxyTargetClass,
				"--test.other-advisor-first=" + otherAdvisorFirst);
		HedgeNode node = TestApplications.node(context);
		await().atMost(Timing.seconds(10)).until(() -> node.isRunning() && node.isLeader());
		Greeter greeter = context.getBean("greeter", Greeter.class);
		assertThat(AopUtils.isJdkDynamicProxy(greeter)).isEqualTo(!proxyTargetClass);
		assertThat(AopUtils.isCglibProxy(context.getBean("reports"))).isTrue();

		assertThat(new String(node.send("ada".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8))
			.isEqualTo("hello ada");
		assertThat(node.broadcast("bob".getBytes(StandardCharsets.UTF_8))).singleElement()
			.extracting(BroadcastResult::reply)
			.isEqualTo((node.nodeId() + " heard bob").getBytes(StandardCharsets.UTF_8));
		assertThat(greeter.leaderOnly()).contains("leading");
		await().atMost(Timing.seconds(5)).until(() -> TICKS.size() >= 3 && REPORTS.size() >= 3);
		assertThat(TICKS).containsOnly(true);
		assertThat(REPORTS).containsOnly(node.epoch());
		assertThat(ADVISED_CALLS).as("every call went through the other advisor too")
			.containsOnlyKeys("greet", "hear", "leaderOnly", "tick", "report");

		assertThat(node.yieldLeadership()).isTrue();
		assertThat(greeter.leaderOnly()).as("skipped once no longer leading").isEmpty();
		int advisedBefore = ADVISED_CALLS.get("leaderOnly").get();
		greeter.leaderOnly();
		assertThat(ADVISED_CALLS.get("leaderOnly").get()).as("a skipped call runs no other advice: the guard is first")
			.isEqualTo(advisedBefore);
	}

	/** Classes whose methods the other advisor counts. */
	@Target(ElementType.TYPE)
	@Retention(RetentionPolicy.RUNTIME)
	@interface Counted {

	}

	/** Another advising post-processor, like {@code @EnableAsync}'s or a validation one. */
	static class CountingPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor {

		CountingPostProcessor(boolean proxyTargetClass, int order) {
			this.advisor = new DefaultPointcutAdvisor(new AnnotationMatchingPointcut(Counted.class, true),
					(MethodInterceptor) (invocation) -> {
						ADVISED_CALLS.computeIfAbsent(invocation.getMethod().getName(), (name) -> new AtomicInteger())
							.incrementAndGet();
						return invocation.proceed();
					});
			setProxyTargetClass(proxyTargetClass);
			setOrder(order);
		}

	}

	interface Greeter {

		@LeaderHandler
		String greet(String name);

		@BroadcastHandler
		String hear(InboundMessage message, String text);

		@OnLeader
		Optional<String> leaderOnly();

		void tick();

	}

	@Counted
	static class DefaultGreeter implements Greeter {

		private final HedgeNode node;

		DefaultGreeter(HedgeNode node) {
			this.node = node;
		}

		@Override
		public String greet(String name) {
			return "hello " + name;
		}

		@Override
		public String hear(InboundMessage message, String text) {
			return message.sender() + " heard " + text;
		}

		@Override
		public Optional<String> leaderOnly() {
			return Optional.of("leading");
		}

		@Override
		@Scheduled(fixedRate = 50)
		@OnLeader
		public void tick() {
			TICKS.add(this.node.isLeader());
		}

	}

	@Counted
	static class Reports {

		@OnLeader(fixedRate = "50ms")
		void report(LeadershipEvent grant) {
			REPORTS.add(grant.epoch());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableScheduling
	static class ProxiedApp {

		@Bean
		static CountingPostProcessor countingPostProcessor(Environment environment) {
			boolean proxyTargetClass = environment.getRequiredProperty("spring.aop.proxy-target-class", Boolean.class);
			boolean first = environment.getRequiredProperty("test.other-advisor-first", Boolean.class);
			return new CountingPostProcessor(proxyTargetClass,
					first ? Ordered.HIGHEST_PRECEDENCE : Ordered.LOWEST_PRECEDENCE);
		}

		@Bean
		Greeter greeter(HedgeNode node) {
			return new DefaultGreeter(node);
		}

		@Bean
		Reports reports() {
			return new Reports();
		}

	}

}
