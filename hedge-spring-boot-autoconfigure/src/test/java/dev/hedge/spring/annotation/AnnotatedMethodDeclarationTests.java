package dev.hedge.spring.annotation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.annotation.Scope;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

import dev.hedge.election.LeadershipEvent;
import dev.hedge.messaging.InboundMessage;
import dev.hedge.spring.autoconfigure.HedgeAnnotationAutoConfiguration;
import dev.hedge.spring.autoconfigure.HedgeAutoConfiguration;
import dev.hedge.testsupport.EmbeddedDatabaseExtension;
import dev.hedge.testsupport.EmbeddedTestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * How annotated methods are declared: valid declarations are registered (placeholders resolved), and each invalid one
 * stops startup with a message naming the method and the rule broken.
 */
@ExtendWith(EmbeddedDatabaseExtension.class)
class AnnotatedMethodDeclarationTests {

	private static final String PREFIX = AnnotatedMethodDeclarationTests.class.getName() + "$";

	private final ApplicationContextRunner runner;

	private final EmbeddedTestDatabase database;

	AnnotatedMethodDeclarationTests(EmbeddedTestDatabase database) {
		this.database = database;
		this.runner = new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(HedgeAutoConfiguration.class, HedgeAnnotationAutoConfiguration.class))
			.withPropertyValues("spring.application.name=declarations",
					"hedge.embedded.path=" + database.directory().resolve("declarations"));
	}

	@Test
	void validDeclarationsAreRegisteredWithPlaceholdersResolved() {
		this.runner.withBean(ValidHandlers.class)
			.withBean(ValidJobs.class)
			.withPropertyValues("jobs.rate=250ms", "jobs.cron=0 0 3 * * *")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(OnLeaderTaskRegistry.class).getTasks()).containsExactlyInAnyOrder(
						"@OnLeader " + PREFIX + "ValidJobs.rate(LeadershipEvent) (fixedRate PT0.25S)",
						"@OnLeader " + PREFIX + "ValidJobs.delay() (fixedDelay PT1M)",
						"@OnLeader " + PREFIX + "ValidJobs.nightly() (cron 0 0 3 * * *)");
				assertThat(context.getBean(ValidJobs.class).guarded()).as("guard skips while not started").isNull();
			});
	}

	@Test
	void lazySingletonsWithAnnotatedMethodsAreCreatedAtStartupAndRegistered() {
		this.runner.withUserConfiguration(LazyJobsConfiguration.class)
			.withPropertyValues("jobs.rate=1s", "jobs.cron=0 0 3 * * *")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(OnLeaderTaskRegistry.class).getTasks()).hasSize(3);
			});
	}

	@Test
	void aBeanCreatedAfterStartupCannotRegisterATask() {
		this.runner.withUserConfiguration(LazyJobsConfiguration.class)
			.withPropertyValues("jobs.rate=1s", "jobs.cron=0 0 3 * * *")
			.run((context) -> assertThatException().isThrownBy(() -> context.getBean("opaqueJobs"))
				.havingRootCause()
				.withMessage("@OnLeader method " + PREFIX + "PlaceholderRate.run(): bean 'opaqueJobs' was created "
						+ "after the application context was refreshed, too late to register with the hedge node; "
						+ "declare the method on a singleton bean that is created at startup"));
	}

	@Test
	void twoPayloadParametersFail() {
		assertFailure(this.runner.withBean(TwoPayloads.class), "@LeaderHandler method " + PREFIX
				+ "TwoPayloads.handle(int,int): at most one payload parameter (byte[], String or a JSON-mapped type)"
				+ " and one InboundMessage");
	}

	@Test
	void twoInboundMessageParametersFail() {
		assertFailure(this.runner.withBean(TwoMessages.class), "@BroadcastHandler method " + PREFIX
				+ "TwoMessages.handle(InboundMessage,String,InboundMessage): at most one payload parameter");
	}

	@Test
	void aSecondLeaderHandlerFailsNamingBothMethods() {
		assertFailure(this.runner.withBean("first", ValidHandlers.class).withBean("second", OtherLeaderHandler.class),
				"@LeaderHandler method " + PREFIX + "OtherLeaderHandler.other(String): an application has at most one "
						+ "@LeaderHandler method, and " + PREFIX + "ValidHandlers.hello(String) is one already");
	}

	@Test
	void aSecondBroadcastHandlerFailsNamingBothMethods() {
		assertFailure(
				this.runner.withBean("first", ValidHandlers.class).withBean("second", OtherBroadcastHandler.class),
				"@BroadcastHandler method " + PREFIX + "OtherBroadcastHandler.other(): an application has at most one "
						+ "@BroadcastHandler method, and " + PREFIX
						+ "ValidHandlers.broadcast(InboundMessage,Greeting) is one already");
	}

	@Test
	void anAnnotatedHandlerClashingWithACustomizersHandlerFails() {
		this.runner.withBean(ValidHandlers.class)
			.withBean(dev.hedge.spring.autoconfigure.HedgeNodeCustomizer.class,
					() -> (builder) -> builder.leaderHandler((message) -> new byte[0]))
			.run((context) -> assertThat(context.getStartupFailure())
				.hasMessageContaining("@LeaderHandler " + PREFIX + "ValidHandlers.hello(String)")
				.hasMessageContaining("clashes with a leader handler set through a HedgeNodeCustomizer"));
	}

	@Test
	void staticHandlerFails() {
		assertFailure(this.runner.withBean(StaticHandler.class), "@LeaderHandler method " + PREFIX
				+ "StaticHandler.handle(byte[]): must not be static; declare it as an instance method of the bean");
	}

	@Test
	void privateHandlerOnAProxiedBeanFails() {
		assertFailure(this.runner.withBean("proxied", PrivateOnProxy.class), "@LeaderHandler method " + PREFIX
				+ "PrivateOnProxy.handle(String): must not be private, because bean 'proxied' is a proxy that cannot "
				+ "call private methods; make it package-private, protected or public");
	}

	@Test
	void handlerMissingFromTheInterfacesOfAJdkProxyFails() {
		assertFailure(
				this.runner.withBean("jdk", JdkProxied.class)
					.withPropertyValues("spring.aop.proxy-target-class=false"),
				"@LeaderHandler method " + PREFIX + "JdkProxied.handle(String): is not declared on any interface of "
						+ "bean 'jdk', a JDK dynamic proxy, so it cannot be called through the proxy; declare it on an "
						+ "interface the bean implements, or use class-based (CGLIB) proxies "
						+ "(spring.aop.proxy-target-class=true)");
	}

	@Test
	void handlerOnAPrototypeBeanFails() {
		assertFailure(this.runner.withUserConfiguration(PrototypeHandlerConfiguration.class),
				"@LeaderHandler method " + PREFIX + "OtherLeaderHandler.other(String): must be declared on a singleton "
						+ "bean, but bean 'prototypeHandler' has scope 'prototype'");
	}

	@Test
	void guardReturningAPrimitiveFails() {
		assertFailure(this.runner.withBean(PrimitiveGuard.class), "@OnLeader method " + PREFIX
				+ "PrimitiveGuard.count(): a guard @OnLeader method must not return a primitive (int): a skipped call "
				+ "returns null; return void, Integer or an Optional");
	}

	@Test
	void finalGuardFails() {
		assertFailure(this.runner.withBean(FinalGuard.class), "@OnLeader method " + PREFIX
				+ "FinalGuard.run(): a guard @OnLeader method must not be final: the guard is a proxy, which cannot "
				+ "intercept it");
	}

	@Test
	void scheduleTogetherWithScheduledFails() {
		assertFailure(this.runner.withBean(ScheduleAndScheduled.class), "@OnLeader method " + PREFIX
				+ "ScheduleAndScheduled.run(): has both a schedule and @Scheduled; either remove @Scheduled, or remove"
				+ " the schedule from @OnLeader to use it as a guard of the @Scheduled method");
	}

	@Test
	void twoScheduleAttributesFail() {
		assertFailure(this.runner.withBean(TwoSchedules.class), "@OnLeader method " + PREFIX
				+ "TwoSchedules.run(): exactly one of 'fixedRate', 'fixedDelay' or 'cron' may be set, found "
				+ "'fixedRate' and 'cron'");
	}

	@Test
	void initialDelayWithoutScheduleFails() {
		assertFailure(this.runner.withBean(InitialDelayOnly.class), "@OnLeader method " + PREFIX
				+ "InitialDelayOnly.run(): 'initialDelay' and 'zone' need a schedule: set 'fixedRate', 'fixedDelay' or"
				+ " 'cron' too, or remove them to use @OnLeader as a guard");
	}

	@Test
	void leadershipEventWithoutScheduleFails() {
		assertFailure(this.runner.withBean(EventWithoutSchedule.class), "@OnLeader method " + PREFIX
				+ "EventWithoutSchedule.run(LeadershipEvent): only a scheduled @OnLeader method receives a "
				+ "LeadershipEvent; set 'fixedRate', 'fixedDelay' or 'cron', or remove the parameter");
	}

	@Test
	void scheduledMethodWithOtherParametersFails() {
		assertFailure(this.runner.withBean(ScheduledWithParameter.class), "@OnLeader method " + PREFIX
				+ "ScheduledWithParameter.run(String): a scheduled @OnLeader method takes no parameters, or one "
				+ "LeadershipEvent (the grant)");
	}

	@Test
	void scheduleThatIsNotADurationFails() {
		assertFailure(this.runner.withBean(PlaceholderRate.class).withPropertyValues("jobs.rate=fast"),
				"@OnLeader method " + PREFIX + "PlaceholderRate.run(): 'fixedRate' is \"fast\", not a duration (use "
						+ "e.g. 5s, 100ms, PT1M or a number of milliseconds)");
		assertFailure(this.runner.withBean(PlaceholderRate.class).withPropertyValues("jobs.rate=0s"),
				"@OnLeader method " + PREFIX + "PlaceholderRate.run(): 'fixedRate' must be positive, was 0s");
	}

	@Test
	void invalidCronFails() {
		assertFailure(this.runner.withBean(BadCron.class), "@OnLeader method " + PREFIX
				+ "BadCron.run(): invalid 'cron' \"every hour\" or 'zone' \"\": ");
	}

	@Test
	void aJsonPayloadWithoutConverterFails() {
		assertFailure(this.runner.withBean(ValidHandlers.class)
			.withClassLoader(new org.springframework.boot.test.context.FilteredClassLoader(
					com.fasterxml.jackson.databind.ObjectMapper.class)),
				"@BroadcastHandler method " + PREFIX + "ValidHandlers.broadcast(InboundMessage,Greeting): "
						+ AnnotatedMethodDeclarationTests.Greeting.class.getName()
						+ " needs a HedgeValueConverter bean to be read or written; add Jackson or declare one");
	}

	@Test
	void theMessageReachesTheSpringApplicationStartupFailure() {
		assertThatException().isThrownBy(() -> new SpringApplicationBuilder(FailingApplication.class).run(
				"--spring.main.web-application-type=none", "--spring.grpc.server.port=0",
				"--spring.application.name=failing",
				"--hedge.embedded.path=" + this.database.directory().resolve("failing"),
				"--spring.main.banner-mode=off"))
			.withMessageContaining("@LeaderHandler method " + PREFIX + "TwoPayloads.handle(int,int): at most one "
					+ "payload parameter (byte[], String or a JSON-mapped type) and one InboundMessage");
	}

	private static void assertFailure(ApplicationContextRunner runner, String message) {
		runner.run((AssertableApplicationContext context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasMessageContaining(message);
			assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
				.isInstanceOf(IllegalStateException.class)
				.message()
				.startsWith(message);
		});
	}

	record Greeting(String text) {
	}

	static class ValidHandlers {

		@LeaderHandler
		String hello(String text) {
			return "hello " + text;
		}

		@BroadcastHandler
		Greeting broadcast(InboundMessage message, Greeting greeting) {
			return greeting;
		}

	}

	static class ValidJobs {

		@OnLeader(fixedRate = "${jobs.rate}")
		void rate(LeadershipEvent grant) {
		}

		@OnLeader(fixedDelay = "1m", initialDelay = "10s")
		void delay() {
		}

		@OnLeader(cron = "${jobs.cron}", zone = "UTC")
		void nightly() {
		}

		@OnLeader
		String guarded() {
			return "ran";
		}

	}

	static class TwoPayloads {

		@LeaderHandler
		String handle(int a, int b) {
			return "";
		}

	}

	static class TwoMessages {

		@BroadcastHandler
		void handle(InboundMessage first, String text, InboundMessage second) {
		}

	}

	static class OtherLeaderHandler {

		@LeaderHandler
		String other(String text) {
			return text;
		}

	}

	static class OtherBroadcastHandler {

		@BroadcastHandler
		void other() {
		}

	}

	static class StaticHandler {

		@LeaderHandler
		static byte[] handle(byte[] payload) {
			return payload;
		}

	}

	static class PrivateOnProxy {

		@LeaderHandler
		private String handle(String text) {
			return text;
		}

		@OnLeader
		void guarded() {
		}

	}

	interface Runner {

		void run();

	}

	static class JdkProxied implements Runner {

		@Override
		@OnLeader
		public void run() {
		}

		@LeaderHandler
		public String handle(String text) {
			return text;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class LazyJobsConfiguration {

		@Bean
		@Lazy
		ValidJobs lazyJobs() {
			return new ValidJobs();
		}

		@Bean
		@Lazy
		Object opaqueJobs() {
			return new PlaceholderRate();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PrototypeHandlerConfiguration {

		@Bean
		@Scope(BeanDefinition.SCOPE_PROTOTYPE)
		OtherLeaderHandler prototypeHandler() {
			return new OtherLeaderHandler();
		}

		@Bean
		Object prototypeUser(OtherLeaderHandler handler) {
			return handler;
		}

	}

	static class PrimitiveGuard {

		@OnLeader
		int count() {
			return 1;
		}

	}

	static class FinalGuard {

		@OnLeader
		final void run() {
		}

	}

	@EnableScheduling
	static class ScheduleAndScheduled {

		@OnLeader(fixedRate = "1s")
		@Scheduled(fixedRate = 1000)
		void run() {
		}

	}

	static class TwoSchedules {

		@OnLeader(fixedRate = "1s", cron = "0 * * * * *")
		void run() {
		}

	}

	static class InitialDelayOnly {

		@OnLeader(initialDelay = "5s")
		void run() {
		}

	}

	static class EventWithoutSchedule {

		@OnLeader
		void run(LeadershipEvent event) {
		}

	}

	static class ScheduledWithParameter {

		@OnLeader(fixedDelay = "1s")
		void run(String text) {
		}

	}

	static class PlaceholderRate {

		@OnLeader(fixedRate = "${jobs.rate}")
		void run() {
		}

	}

	static class BadCron {

		@OnLeader(cron = "every hour")
		void run() {
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class FailingApplication {

		@Bean
		TwoPayloads twoPayloads() {
			return new TwoPayloads();
		}

	}

}
