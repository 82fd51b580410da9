package dev.hedge.spring.actuate;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.lang.Nullable;

import dev.hedge.HedgeNode;
import dev.hedge.common.OperationObserver;
import dev.hedge.common.OperationObserver.Operation;
import dev.hedge.common.OperationObserver.Outcome;
import dev.hedge.election.ElectionObserver;
import dev.hedge.election.LeaseRecord;
import dev.hedge.semaphore.HedgeSemaphore;
import dev.hedge.spring.HedgeSemaphores;

/**
 * Micrometer meters of one hedge node, every one tagged with {@code group}:
 * <ul>
 * <li>gauges {@code hedge.leader} (1 while this member leads, else 0), {@code hedge.epoch} (the epoch of the leader
 * this member knows) and {@code hedge.members} (members this member knows of, itself included); the last two are
 * NaN while the node does not run;</li>
 * <li>timers {@code hedge.election.renewals} (tag {@code outcome}: {@code renewed}, {@code lost}, {@code failed}) and
 * {@code hedge.election.takeovers} ({@code acquired}, {@code lost} to another member, {@code failed});</li>
 * <li>timers {@code hedge.send}, {@code hedge.broadcast}, {@code hedge.kv.put}, {@code hedge.semaphore.acquire} and
 * {@code hedge.semaphore.release}, tag {@code outcome} (see {@link Outcome#id()}: {@code ok}, {@code not_leader},
 * {@code unavailable}, {@code timeout}, …); the semaphore timers are also tagged {@code semaphore};</li>
 * <li>gauges {@code hedge.semaphore.limit} and {@code hedge.semaphore.permits.held} per {@code semaphore}: the limit,
 * and the permits this member acquired and has not released yet (counted locally; the store's view is in
 * {@code /actuator/hedge});</li>
 * <li>replicated data: counters {@code hedge.crdt.deltas} and {@code hedge.crdt.bytes} (tag {@code direction}:
 * {@code sent}, {@code received}), {@code hedge.crdt.anti-entropy.rounds} ({@code outcome}: {@code ok},
 * {@code failed}), {@code hedge.crdt.anti-entropy.repairs} (parts shipped to repair differences) and
 * {@code hedge.crdt.pruned}; gauge {@code hedge.crdt.divergence} (parts that differed in the last anti-entropy
 * round); timer {@code hedge.crdt.consistent} (tags {@code operation}, {@code level}, {@code outcome}).</li>
 * </ul>
 * Semaphore meters appear for each semaphore the application declared, and for any other at its first acquire; keep
 * semaphore names bounded.
 *
 * <p>Threading: timers are recorded on hedge's threads (the election thread for renewals and takeovers) and on the
 * callers' threads (operations) as they complete — recording is lock-free and never blocks them; gauges are read on
 * the registry's thread from memory only.
 *
 * <p>Register with a node before it starts: {@code node.beforeStart(metrics::registerWith)}.
 */
public class HedgeMetrics implements SmartInitializingSingleton {

	private static final Logger logger = LoggerFactory.getLogger(HedgeMetrics.class);

	private final HedgeSemaphores semaphores;

	private final MeterRegistry registry;

	private final Tags tags;

	private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();

	private final ConcurrentMap<String, AtomicInteger> held = new ConcurrentHashMap<>();

	private final ElectionObserver electionObserver = new ElectionMeters();

	private final OperationObserver operationObserver = new OperationMeters();

	private final ReplicatorMeters replicatorMeters;

	/**
	 * Create a new {@code HedgeMetrics} instance that registers the gauges of {@code node} in {@code registry}.
	 * @param node the node
	 * @param semaphores the application's semaphores, whose gauges are registered once every singleton exists (may
	 * be {@code null})
	 * @param registry the registry
	 */
	public HedgeMetrics(HedgeNode node, @Nullable HedgeSemaphores semaphores, MeterRegistry registry) {
		this.semaphores = semaphores;
		this.registry = registry;
		this.tags = Tags.of("group", node.group());
		this.replicatorMeters = new ReplicatorMeters(registry, this.tags);
		Gauge.builder("hedge.leader", node, (n) -> (n.isRunning() && n.isLeader()) ? 1 : 0)
			.tags(this.tags)
			.description("Whether this member leads its hedge group (1) or not (0)")
			.strongReference(true)
			.register(registry);
		Gauge.builder("hedge.epoch", node, (n) -> n.isRunning() ? n.epoch() : Double.NaN)
			.tags(this.tags)
			.description("Epoch (fencing token) of the leader this member knows")
			.strongReference(true)
			.register(registry);
		Gauge.builder("hedge.members", node, (n) -> n.isRunning() ? n.membershipManager().view().members().size()
				: Double.NaN)
			.tags(this.tags)
			.description("Members of the hedge group this member knows of, itself included")
			.baseUnit("members")
			.strongReference(true)
			.register(registry);
	}

	/**
	 * Registers this instance's election and operation observers on a node's builder (chaining any election observer
	 * already set). Call it through {@link HedgeNode#beforeStart}.
	 * @param builder the node's builder
	 */
	public void registerWith(HedgeNode.Builder builder) {
		ElectionObserver previous = builder.electionObserver();
		builder.electionObserver((previous == ElectionObserver.NONE) ? this.electionObserver
				: chain(previous, this.electionObserver));
		builder.addOperationObserver(this.operationObserver);
		builder.addReplicatorObserver(this.replicatorMeters);
	}

	/**
	 * Registers the gauges of the application's semaphores (declared ones exist as beans by now).
	 */
	@Override
	public void afterSingletonsInstantiated() {
		if (this.semaphores != null) {
			for (HedgeSemaphore semaphore : this.semaphores.opened()) {
				semaphoreGauges(semaphore.name(), semaphore.limit());
			}
		}
	}

	/**
	 * Registers the {@code hedge.semaphore.limit} and {@code hedge.semaphore.permits.held} gauges of a semaphore, once.
	 * @param name the semaphore's name
	 * @param limit its limit
	 * @return the counter of permits this member holds
	 */
	private AtomicInteger semaphoreGauges(String name, int limit) {
		return this.held.computeIfAbsent(name, (key) -> {
			AtomicInteger count = new AtomicInteger();
			Tags semaphoreTags = this.tags.and("semaphore", name);
			Gauge.builder("hedge.semaphore.limit", () -> limit)
				.tags(semaphoreTags)
				.description("Limit of a hedge semaphore: permits held at once across the group")
				.baseUnit("permits")
				.strongReference(true)
				.register(this.registry);
			Gauge.builder("hedge.semaphore.permits.held", count, AtomicInteger::get)
				.tags(semaphoreTags)
				.description("Permits of a hedge semaphore this member acquired and has not released")
				.baseUnit("permits")
				.strongReference(true)
				.register(this.registry);
			return count;
		});
	}

	private Timer timer(String name, String description, Tags tags) {
		String key = name + tags;
		Timer timer = this.timers.get(key);
		if (timer == null) {
			timer = this.timers.computeIfAbsent(key, (k) -> Timer.builder(name)
				.tags(this.tags.and(tags))
				.description(description)
				.register(this.registry));
		}
		return timer;
	}

	private static ElectionObserver chain(ElectionObserver first, ElectionObserver second) {
		return new ElectionObserver() {
			@Override
			public void renewal(long epoch, RenewalOutcome outcome, long latencyNanos, boolean late) {
				try {
					first.renewal(epoch, outcome, latencyNanos, late);
				}
				catch (RuntimeException ex) {
					logger.warn("Election observer {} failed", first, ex);
				}
				second.renewal(epoch, outcome, latencyNanos, late);
			}

			@Override
			public void takeover(boolean acquired, LeaseRecord record, long latencyNanos) {
				try {
					first.takeover(acquired, record, latencyNanos);
				}
				catch (RuntimeException ex) {
					logger.warn("Election observer {} failed", first, ex);
				}
				second.takeover(acquired, record, latencyNanos);
			}
		};
	}

	/** Election timers. */
	private final class ElectionMeters implements ElectionObserver {

		@Override
		public void renewal(long epoch, RenewalOutcome outcome, long latencyNanos, boolean late) {
			String id = switch (outcome) {
				case RENEWED -> "renewed";
				case LOST -> "lost";
				case FAILED -> "failed";
			};
			timer("hedge.election.renewals", "Lease renewals by this member while it leads", Tags.of("outcome", id))
				.record(latencyNanos, TimeUnit.NANOSECONDS);
		}

		@Override
		public void takeover(boolean acquired, LeaseRecord record, long latencyNanos) {
			String id = acquired ? "acquired" : (record != null) ? "lost" : "failed";
			timer("hedge.election.takeovers", "Attempts of this member to take an expired or released lease",
					Tags.of("outcome", id))
				.record(latencyNanos, TimeUnit.NANOSECONDS);
		}

	}

	/** Operation timers and the permits-held counts. */
	private final class OperationMeters implements OperationObserver {

		@Override
		public void completed(Operation operation, Outcome outcome, long latencyNanos) {
			timer("hedge." + operation.id(), description(operation), Tags.of("outcome", outcome.id()))
				.record(latencyNanos, TimeUnit.NANOSECONDS);
		}

		@Override
		public void semaphoreCompleted(Operation operation, String semaphore, int limit, Outcome outcome,
				long latencyNanos) {
			AtomicInteger count = semaphoreGauges(semaphore, limit);
			if (operation == Operation.SEMAPHORE_ACQUIRE && outcome == Outcome.OK) {
				count.incrementAndGet();
			}
			else if (operation == Operation.SEMAPHORE_RELEASE) {
				count.updateAndGet((value) -> Math.max(0, value - 1));
			}
			timer("hedge." + operation.id(), description(operation),
					Tags.of("outcome", outcome.id(), "semaphore", semaphore))
				.record(latencyNanos, TimeUnit.NANOSECONDS);
		}

		private String description(Operation operation) {
			return switch (operation) {
				case SEND -> "Sends from this member to the leader's handler, retries included";
				case BROADCAST -> "Broadcasts from this member, until every member answered or failed";
				case KV_PUT -> "Key/value puts from this member, until committed by the leader";
				case SEMAPHORE_ACQUIRE -> "Semaphore acquires by this member, waiting for a free permit included";
				case SEMAPHORE_RELEASE -> "Semaphore releases by this member";
			};
		}

	}

}
