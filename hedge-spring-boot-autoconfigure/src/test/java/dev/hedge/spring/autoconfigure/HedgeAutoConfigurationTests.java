package dev.hedge.spring.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;

import com.google.cloud.spring.autoconfigure.core.GcpContextAutoConfiguration;
import com.google.cloud.spring.autoconfigure.spanner.GcpSpannerAutoConfiguration;
import com.google.cloud.spring.autoconfigure.spanner.GcpSpannerEmulatorAutoConfiguration;
import io.grpc.BindableService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.hedge.HedgeNode;
import dev.hedge.common.HedgeConfigurationException;
import dev.hedge.election.ElectionOptions;
import dev.hedge.kv.KeyValueOptions;
import dev.hedge.membership.MembershipOptions;
import dev.hedge.messaging.MessagingOptions;
import dev.hedge.semaphore.HedgeSemaphore;
import dev.hedge.spring.HedgeKeyValueTemplate;
import dev.hedge.spring.HedgeLifecycle;
import dev.hedge.spring.HedgeSemaphores;
import dev.hedge.store.HedgeStore;
import dev.hedge.store.StoreKind;
import dev.hedge.store.jdbc.JdbcHedgeStore;
import dev.hedge.transport.grpc.GrpcLimits;
import dev.hedge.testsupport.EmbeddedDatabaseExtension;
import dev.hedge.testsupport.EmbeddedTestDatabase;
import dev.hedge.testsupport.SpannerEmulatorExtension;
import dev.hedge.testsupport.SpannerTestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(EmbeddedDatabaseExtension.class)
class HedgeAutoConfigurationTests {

	private final ApplicationContextRunner runner;

	HedgeAutoConfigurationTests(EmbeddedTestDatabase database) {
		this.runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(HedgeAutoConfiguration.class))
			.withPropertyValues("spring.application.name=orders",
					"hedge.embedded.path=" + database.directory().resolve("autoconfig"));
	}

	@Test
	void withoutSpannerConfiguredTheEmbeddedStoreAndEveryBeanAreCreated() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(HedgeNode.class);
			assertThat(context.getBean(HedgeStore.class)).isInstanceOf(JdbcHedgeStore.class);
			assertThat(context.getBean(HedgeStore.class).kind()).isEqualTo(StoreKind.EMBEDDED);
			assertThat(context.getBean(HedgeNode.class).group()).isEqualTo("orders");
			assertThat(context).hasSingleBean(HedgeKeyValueTemplate.class);
			assertThat(context).hasSingleBean(HedgeSemaphores.class);
			assertThat(context).hasSingleBean(HedgeLifecycle.class);
			assertThat(context.getBeansOfType(BindableService.class)).hasSize(6);
			assertThat(context).hasSingleBean(dev.hedge.spring.HedgeSpillOverStore.class);
		});
	}

	@Test
	void hedgeEnabledFalseSwitchesEverythingOff() {
		this.runner.withPropertyValues("hedge.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(HedgeNode.class);
			assertThat(context).doesNotHaveBean(HedgeStore.class);
			assertThat(context).doesNotHaveBean(BindableService.class);
		});
	}

	@Test
	void theApplicationsOwnStoreAndNodeWin() {
		this.runner.withUserConfiguration(OwnStore.class).run((context) -> {
			assertThat(context).getBean(HedgeStore.class).isSameAs(context.getBean("myStore"));
			assertThat(context.getBean(HedgeNode.class).store()).isSameAs(context.getBean("myStore"));
		});
		this.runner.withUserConfiguration(OwnStore.class, OwnNode.class).run((context) -> {
			assertThat(context).getBean(HedgeNode.class).isSameAs(context.getBean("myNode"));
			assertThat(context.getBean(HedgeNode.class).group()).isEqualTo("mine");
		});
	}

	@Test
	void explicitGroupWinsOverTheApplicationName() {
		this.runner.withPropertyValues("hedge.group=billing")
			.run((context) -> assertThat(context.getBean(HedgeNode.class).group()).isEqualTo("billing"));
	}

	@Test
	void noGroupAtAllFailsNamingTheProperty() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(HedgeAutoConfiguration.class))
			.withPropertyValues("hedge.embedded.path=" + Path.of("target", "no-group"))
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(HedgeConfigurationException.class)
				.hasMessageStartingWith("hedge.group:"));
	}

	@Test
	void invalidTimingsFailNamingTheProperty() {
		this.runner.withPropertyValues("hedge.election.lease-duration=0s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageStartingWith("hedge.election.lease-duration: must be positive"));
		this.runner.withPropertyValues("hedge.election.lease-duration=2s", "hedge.election.renew-interval=2s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageStartingWith("hedge.election.renew-interval:"));
		this.runner.withPropertyValues("hedge.membership.member-timeout=1s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageStartingWith("hedge.membership.member-timeout:"));
	}

	@Test
	void aShorterLeaseAloneStartsWithTimingsDerivedFromIt() {
		this.runner.withPropertyValues("hedge.election.lease-duration=3s").run((context) -> {
			assertThat(context).hasNotFailed();
			ElectionOptions options = context.getBean(HedgeProperties.class).electionOptions();
			assertThat(options.renewInterval()).isEqualTo(Duration.ofMillis(900));
			assertThat(options.pollInterval()).isEqualTo(Duration.ofMillis(300));
		});
	}

	@Test
	void unknownStoreFailsNamingTheProperty() {
		this.runner.withPropertyValues("hedge.store=redis")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("hedge.store"));
	}

	@Test
	void spannerRequiredButNotConfiguredFailsNamingTheProperty() {
		this.runner.withPropertyValues("hedge.store=spanner")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(HedgeConfigurationException.class)
				.hasMessageStartingWith("hedge.store: spanner is selected but"));
	}

	@Test
	void semaphoresDeclaredInPropertiesAreBeansByName() {
		this.runner.withPropertyValues("hedge.semaphores.jobs.limit=2", "hedge.semaphores.exports.limit=1")
			.run((context) -> {
				assertThat(context.getBean("jobs", HedgeSemaphore.class).limit()).isEqualTo(2);
				assertThat(context.getBean("exports", HedgeSemaphore.class).name()).isEqualTo("exports");
			});
		this.runner.withPropertyValues("hedge.semaphores.jobs.limit=0")
			.run((context) -> assertThat(org.springframework.core.NestedExceptionUtils
				.getMostSpecificCause(context.getStartupFailure())).hasMessageStartingWith("hedge.semaphores.jobs.limit:"));
	}

	@Test
	void withoutArrowThereIsNoSpillOverBean() {
		this.runner.withClassLoader(new FilteredClassLoader("org.apache.arrow"))
			.run((context) -> {
				assertThat(context).hasSingleBean(HedgeNode.class);
				assertThat(context).doesNotHaveBean(dev.hedge.spring.HedgeSpillOverStore.class);
			});
	}

	@Test
	void spillOverLimitsComeFromProperties() {
		this.runner.withPropertyValues("hedge.sos.memory-limit=8MB", "hedge.sos.disk-limit=0", "hedge.sos.ttl=5s")
			.run((context) -> {
				dev.hedge.sos.SpillOverOptions options = context.getBean(HedgeProperties.class)
					.spillOverOptions()
					.apply(7001);
				assertThat(options.memoryLimitBytes()).isEqualTo(8L << 20);
				assertThat(options.diskLimitBytes()).isZero();
				assertThat(options.ttl()).isEqualTo(Duration.ofSeconds(5));
				assertThat(options.directory()).isEqualTo(Path.of(".hedge", "sos", "7001"));
			});
	}

	@Test
	void withoutSpringGrpcTheNodeServesItself() {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.grpc"))
			.run((context) -> {
				assertThat(context).hasSingleBean(HedgeLifecycle.class);
				assertThat(context).doesNotHaveBean(BindableService.class);
			});
	}

	@Test
	void propertyDefaultsAreTheCoreDefaults() {
		HedgeProperties properties = new HedgeProperties();
		ElectionOptions election = properties.electionOptions();
		ElectionOptions core = ElectionOptions.defaults();
		assertThat(election.toString()).isEqualTo(core.toString());
		assertThat(properties.membershipOptions()).isEqualTo(MembershipOptions.DEFAULTS);
		assertThat(properties.messagingOptions()).isEqualTo(MessagingOptions.DEFAULTS);
		assertThat(properties.grpcLimits()).isEqualTo(GrpcLimits.DEFAULTS);
		assertThat(properties.keyValueOptions()).isEqualTo(KeyValueOptions.DEFAULTS);
		assertThat(properties.spannerTables()).isEqualTo(dev.hedge.store.TableNames.defaults());
		assertThat(election.leaseDuration()).isEqualTo(Duration.ofSeconds(10));
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnStore {

		@Bean(destroyMethod = "close")
		HedgeStore myStore() throws Exception {
			return JdbcHedgeStore.embedded(java.nio.file.Files.createTempDirectory("own-store"), true);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnNode {

		@Bean
		HedgeNode myNode(HedgeStore store) {
			return HedgeNode.builder("mine").store(store, false).build();
		}

	}

	@ExtendWith(SpannerEmulatorExtension.class)
	@org.junit.jupiter.api.Nested
	class WithSpanner {

		@Test
		void configuredSpannerIsSelectedAndTheSchemaIsCreatedOnTheEmulator(SpannerTestDatabase database) {
			new ApplicationContextRunner()
				.withConfiguration(AutoConfigurations.of(
						org.springframework.boot.autoconfigure.gson.GsonAutoConfiguration.class,
						GcpContextAutoConfiguration.class,
						GcpSpannerEmulatorAutoConfiguration.class, GcpSpannerAutoConfiguration.class,
						HedgeAutoConfiguration.class))
				.withPropertyValues("spring.application.name=orders", "spring.cloud.gcp.project-id=hedge-test",
						"spring.cloud.gcp.spanner.project-id=hedge-test", "spring.cloud.gcp.spanner.instance-id=fresh-instance",
						"spring.cloud.gcp.spanner.database=fresh-db", "spring.cloud.gcp.spanner.emulator.enabled=true",
						"spring.cloud.gcp.spanner.emulator-host=" + database.emulatorHost())
				.run((context) -> {
					assertThat(context).hasNotFailed();
					assertThat(context.getBean(HedgeStore.class).kind()).isEqualTo(StoreKind.SPANNER);
					HedgeStore store = context.getBean(HedgeStore.class);
					assertThat(store.log().read("nothing", dev.hedge.kv.LogQuery.latest(), Duration.ofSeconds(5)))
						.isEmpty();
				});
		}

		@Test
		void embeddedCanBeForcedEvenWhenSpannerIsConfigured(SpannerTestDatabase database) {
			new ApplicationContextRunner()
				.withConfiguration(AutoConfigurations.of(
						org.springframework.boot.autoconfigure.gson.GsonAutoConfiguration.class,
						GcpContextAutoConfiguration.class,
						GcpSpannerEmulatorAutoConfiguration.class, GcpSpannerAutoConfiguration.class,
						HedgeAutoConfiguration.class))
				.withPropertyValues("spring.application.name=orders", "hedge.store=embedded",
						"hedge.embedded.path=" + Path.of("target", "forced-embedded"),
						"spring.cloud.gcp.project-id=hedge-test", "spring.cloud.gcp.spanner.instance-id=hedge-test",
						"spring.cloud.gcp.spanner.database=" + database.name(),
						"spring.cloud.gcp.spanner.emulator.enabled=true",
						"spring.cloud.gcp.spanner.emulator-host=" + database.emulatorHost())
				.run((context) -> assertThat(context.getBean(HedgeStore.class).kind()).isEqualTo(StoreKind.EMBEDDED));
		}

	}

}
