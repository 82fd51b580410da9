package dev.hedge.spring;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.hedge.HedgeNode;

/**
 * Spring Boot applications with hedge started in one JVM: each with its own Spring gRPC server on a random loopback
 * port, all on one embedded store directory and one group, with the short test lease.
 */
public final class TestApplications implements AutoCloseable {

	private final Path store;

	private final String group;

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	public TestApplications(Path store, String group) {
		this.store = store;
		this.group = group;
	}

	/**
	 * Starts an application. Overrides are passed as command-line arguments, so they win over any
	 * application.properties (setting them as default properties would not); an extra argument replaces the default
	 * one of the same key (e.g. {@code --spring.main.web-application-type=servlet}).
	 * @param sources configuration classes
	 * @param extraArgs more {@code --key=value} arguments
	 * @return the running context
	 */
	public ConfigurableApplicationContext start(Class<?>[] sources, String... extraArgs) {
		List<String> args = new ArrayList<>(List.of("--spring.application.name=" + this.group,
				"--spring.main.web-application-type=none", "--spring.grpc.server.port=0",
				"--spring.grpc.server.host=127.0.0.1", "--hedge.node.address=127.0.0.1",
				"--hedge.embedded.path=" + this.store, "--hedge.election.lease-duration=3s",
				"--hedge.election.renew-interval=1s", "--hedge.election.poll-interval=500ms",
				"--hedge.election.clock-drift=0.01", "--hedge.membership.heartbeat-interval=500ms",
				"--hedge.membership.member-timeout=2s", "--spring.main.banner-mode=off"));
		for (String extra : extraArgs) {
			String key = extra.substring(0, extra.indexOf('=') + 1);
			if (!key.isEmpty()) {
				args.removeIf((arg) -> arg.startsWith(key));
			}
		}
		args.addAll(List.of(extraArgs));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(sources).run(args.toArray(String[]::new));
		synchronized (this) {
			this.contexts.add(context);
		}
		return context;
	}

	public synchronized List<ConfigurableApplicationContext> running() {
		return this.contexts.stream().filter(ConfigurableApplicationContext::isActive).toList();
	}

	public static HedgeNode node(ConfigurableApplicationContext context) {
		return context.getBean(HedgeNode.class);
	}

	public Optional<ConfigurableApplicationContext> leader() {
		List<ConfigurableApplicationContext> leaders = running().stream()
			.filter((c) -> node(c).isRunning() && node(c).isLeader())
			.toList();
		return (leaders.size() == 1) ? Optional.of(leaders.get(0)) : Optional.empty();
	}

	@Override
	public synchronized void close() {
		for (ConfigurableApplicationContext context : this.contexts) {
			context.close();
		}
	}

}
