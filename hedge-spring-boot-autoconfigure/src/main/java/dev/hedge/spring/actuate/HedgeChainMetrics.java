package dev.hedge.spring.actuate;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import dev.hedge.HedgeNode;
import dev.hedge.chain.ChainConfig;
import dev.hedge.chain.ChainObserver;
import dev.hedge.chain.ChainOptions;
import dev.hedge.chain.ChainState;

/**
 * Micrometer meters of one member's replicated chain ({@code hedge.chain.*}), every one tagged with {@code group}:
 * <ul>
 * <li>timers {@code hedge.chain.write} (tag {@code outcome}: {@code ok}, {@code compare_failed}, {@code unavailable},
 * {@code limit}) and {@code hedge.chain.read} (tag {@code kind}: {@code clean}, {@code dirty}, {@code local},
 * {@code forwarded}, {@code failed}) of this member's callers;</li>
 * <li>gauges {@code hedge.chain.serving} (1 while this member answers reads from its store), {@code hedge.chain.config}
 * (the configuration version it holds), {@code hedge.chain.members} (serving members in it), {@code hedge.chain.keys}
 * and {@code hedge.chain.dirty.keys} (NaN while the node does not run);</li>
 * <li>counters {@code hedge.chain.refusals}, {@code hedge.chain.reconfigurations},
 * {@code hedge.chain.version.queries} (answered as read tail) and {@code hedge.chain.catch.up.keys}.</li>
 * </ul>
 *
 * <p>Threading: timers are recorded on the callers' threads as operations complete (lock-free); gauges and counters
 * are read on the registry's thread from memory. Register with a node before it starts:
 * {@code node.beforeStart(metrics::registerWith)}.
 */
public class HedgeChainMetrics implements ChainObserver {

	private final MeterRegistry registry;

	private final Tags tags;

	private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();

	/**
	 * Registers the gauges and counters of {@code node}'s chain in {@code registry}.
	 * @param node the node
	 * @param registry the registry
	 */
	public HedgeChainMetrics(HedgeNode node, MeterRegistry registry) {
		this.registry = registry;
		this.tags = Tags.of("group", node.group());
		gauge(node, "hedge.chain.serving", "Whether this member answers chain reads from its own store (1) or not (0)",
				(state) -> state.serving() ? 1 : 0);
		gauge(node, "hedge.chain.config", "Version of the chain configuration this member holds",
				(state) -> state.config().version());
		gauge(node, "hedge.chain.members", "Serving members of the chain configuration this member holds",
				(state) -> state.config().members().size());
		gauge(node, "hedge.chain.keys", "Keys in this member's chain store", ChainState::keys);
		gauge(node, "hedge.chain.dirty.keys", "Keys with a write in flight in this member's chain store",
				ChainState::dirtyKeys);
		counter(node, "hedge.chain.refusals", "Chain requests this member refused",
				(state) -> state.stats().refusals());
		counter(node, "hedge.chain.reconfigurations", "Chain configurations this member adopted",
				(state) -> state.stats().reconfigurations());
		counter(node, "hedge.chain.version.queries", "Version queries this member answered as read tail",
				(state) -> state.stats().versionQueries());
		counter(node, "hedge.chain.catch.up.keys", "Keys this member copied while joining the chain",
				(state) -> state.stats().catchUpKeys());
	}

	private void gauge(HedgeNode node, String name, String description, ToDoubleFunction<ChainState> value) {
		Gauge.builder(name, node, (n) -> n.isRunning() ? value.applyAsDouble(n.chain().state()) : Double.NaN)
			.tags(this.tags)
			.description(description)
			.strongReference(true)
			.register(this.registry);
	}

	private void counter(HedgeNode node, String name, String description, ToDoubleFunction<ChainState> value) {
		FunctionCounter.builder(name, node, (n) -> n.isRunning() ? value.applyAsDouble(n.chain().state()) : 0)
			.tags(this.tags)
			.description(description)
			.register(this.registry);
	}

	/**
	 * Adds this observer to a node's chain settings (keeping any observer already set). Call it through
	 * {@link HedgeNode#beforeStart}.
	 * @param builder the node's builder
	 */
	public void registerWith(HedgeNode.Builder builder) {
		ChainOptions options = builder.chain();
		ChainObserver previous = options.observer();
		builder.chain(options.withObserver((previous == ChainObserver.NONE) ? this : new Both(previous, this)));
	}

	@Override
	public void onWrite(Duration duration, String outcome) {
		timer("hedge.chain.write", "outcome", outcome, "Chain writes of this member's callers").record(duration);
	}

	@Override
	public void onRead(Duration duration, String kind) {
		timer("hedge.chain.read", "kind", kind, "Chain reads of this member's callers").record(duration);
	}

	private Timer timer(String name, String tag, String value, String description) {
		return this.timers.computeIfAbsent(name + "|" + value, (key) -> Timer.builder(name)
			.tags(this.tags.and(tag, value))
			.description(description)
			.register(this.registry));
	}

	/** Two observers, in order. */
	private record Both(ChainObserver first, ChainObserver second) implements ChainObserver {

		@Override
		public void onWrite(Duration duration, String outcome) {
			this.first.onWrite(duration, outcome);
			this.second.onWrite(duration, outcome);
		}

		@Override
		public void onRead(Duration duration, String kind) {
			this.first.onRead(duration, kind);
			this.second.onRead(duration, kind);
		}

		@Override
		public void onConfig(ChainConfig config) {
			this.first.onConfig(config);
			this.second.onConfig(config);
		}

	}

}
