package dev.hedge.spring.autoconfigure;

import java.time.Duration;

import io.grpc.BindableService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.hedge.HedgeNode;
import dev.hedge.common.HedgeConfigurationException;
import dev.hedge.common.NotRunningException;
import dev.hedge.replicator.Consistency;
import dev.hedge.replicator.ReplicatorOptions;
import dev.hedge.spring.HedgeReplicatedData;
import dev.hedge.testsupport.EmbeddedDatabaseExtension;
import dev.hedge.testsupport.EmbeddedTestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The replicated data's Spring surface: the bean, its gRPC service bean and the {@code hedge.crdt.*} properties. */
@ExtendWith(EmbeddedDatabaseExtension.class)
class HedgeReplicatedDataAutoConfigurationTests {

	private final ApplicationContextRunner runner;

	HedgeReplicatedDataAutoConfigurationTests(EmbeddedTestDatabase database) {
		this.runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(HedgeAutoConfiguration.class))
			.withPropertyValues("spring.application.name=likes",
					"hedge.embedded.path=" + database.directory().resolve("crdt"));
	}

	@Test
	void theReplicatedDataBeanAndTheReplicatorServiceExistAndNeedARunningNode() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(HedgeReplicatedData.class);
			assertThat(context.getBeansOfType(BindableService.class)).containsKey("hedgeReplicatorService");
			assertThat(context.getBean("hedgeReplicatorService", BindableService.class).bindService()
				.getServiceDescriptor()
				.getName()).isEqualTo("hedge.v1.Replicator");
			assertThatExceptionOfType(NotRunningException.class)
				.isThrownBy(() -> context.getBean(HedgeReplicatedData.class).counter("likes"));
		});
	}

	@Test
	void defaultsAreTheCoresDefaults() {
		this.runner.run((context) -> {
			ReplicatorOptions options = context.getBean(HedgeProperties.class).replicatorOptions();
			ReplicatorOptions defaults = ReplicatorOptions.defaults();
			assertThat(options.deltaInterval()).isEqualTo(defaults.deltaInterval());
			assertThat(options.gossipInterval()).isEqualTo(defaults.gossipInterval());
			assertThat(options.callTimeout()).isEqualTo(defaults.callTimeout());
			assertThat(options.writeConsistency()).isEqualTo(defaults.writeConsistency());
			assertThat(options.readConsistency()).isEqualTo(defaults.readConsistency());
			assertThat(options.durable()).isEqualTo(defaults.durable());
			assertThat(options.flushInterval()).isEqualTo(defaults.flushInterval());
			assertThat(options.compactAfter()).isEqualTo(defaults.compactAfter());
			assertThat(options.pruningInterval()).isEqualTo(defaults.pruningInterval());
			assertThat(options.pruningDelay()).isEqualTo(defaults.pruningDelay());
			assertThat(options.notifyInterval()).isEqualTo(defaults.notifyInterval());
		});
	}

	@Test
	void everyPropertyReachesTheReplicator() {
		this.runner
			.withPropertyValues("hedge.crdt.delta-interval=20ms", "hedge.crdt.gossip-interval=300ms",
					"hedge.crdt.call-timeout=700ms", "hedge.crdt.write-consistency=majority",
					"hedge.crdt.read-consistency=all", "hedge.crdt.consistency-timeout=4s", "hedge.crdt.durable=true",
					"hedge.crdt.flush-interval=50ms", "hedge.crdt.compact-after=2MB",
					"hedge.crdt.pruning-interval=10s", "hedge.crdt.pruning-delay=1m",
					"hedge.crdt.notify-interval=250ms")
			.run((context) -> {
				ReplicatorOptions options = context.getBean(HedgeProperties.class).replicatorOptions();
				assertThat(options.deltaInterval()).isEqualTo(Duration.ofMillis(20));
				assertThat(options.gossipInterval()).isEqualTo(Duration.ofMillis(300));
				assertThat(options.callTimeout()).isEqualTo(Duration.ofMillis(700));
				assertThat(options.writeConsistency()).isEqualTo(Consistency.majority(Duration.ofSeconds(4)));
				assertThat(options.readConsistency()).isEqualTo(Consistency.all(Duration.ofSeconds(4)));
				assertThat(options.durable()).isTrue();
				assertThat(options.flushInterval()).isEqualTo(Duration.ofMillis(50));
				assertThat(options.compactAfter()).isEqualTo(2L << 20);
				assertThat(options.pruningInterval()).isEqualTo(Duration.ofSeconds(10));
				assertThat(options.pruningDelay()).isEqualTo(Duration.ofMinutes(1));
				assertThat(options.notifyInterval()).isEqualTo(Duration.ofMillis(250));
			});
	}

	@Test
	void aBadValueFailsTheStartNamingTheProperty() {
		this.runner.withPropertyValues("hedge.crdt.pruning-interval=0s").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(HedgeConfigurationException.class)
				.hasMessageContaining("hedge.crdt.pruning-interval");
		});
	}

	@Test
	void theApplicationsOwnBeanWins() {
		this.runner.withUserConfiguration(OwnReplicatedData.class).run((context) -> {
			assertThat(context).hasSingleBean(HedgeReplicatedData.class);
			assertThat(context.getBean(HedgeReplicatedData.class)).isSameAs(context.getBean("mine"));
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnReplicatedData {

		@Bean
		HedgeReplicatedData mine(HedgeNode node) {
			return new HedgeReplicatedData(node);
		}

	}

}
