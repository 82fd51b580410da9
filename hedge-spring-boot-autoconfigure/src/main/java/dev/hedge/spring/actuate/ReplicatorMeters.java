package dev.hedge.spring.actuate;

import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import dev.hedge.replicator.Consistency;
import dev.hedge.replicator.ReplicatorObserver;

/**
 * The replicated data's meters ({@code hedge.crdt.*}), fed by the replicator's observer hooks. Counters and the
 * divergence gauge are registered at once (so they read 0 before anything happened); consistency timers at first
 * use. Called on the replicator's, gRPC's and callers' threads: lock-free, never blocks.
 */
final class ReplicatorMeters implements ReplicatorObserver {

	private final MeterRegistry registry;

	private final Tags tags;

	private final Counter deltasSent;

	private final Counter deltasReceived;

	private final Counter bytesSent;

	private final Counter bytesReceived;

	private final Counter roundsOk;

	private final Counter roundsFailed;

	private final Counter repairs;

	private final Counter pruned;

	private final AtomicInteger divergence = new AtomicInteger();

	private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();

	ReplicatorMeters(MeterRegistry registry, Tags tags) {
		this.registry = registry;
		this.tags = tags;
		this.deltasSent = counter("hedge.crdt.deltas", "sent", "Values or chunks in delta and repair batches",
				"entries");
		this.deltasReceived = counter("hedge.crdt.deltas", "received",
				"Values or chunks in delta and repair batches", "entries");
		this.bytesSent = counter("hedge.crdt.bytes", "sent", "Encoded size of delta and repair batches", "bytes");
		this.bytesReceived = counter("hedge.crdt.bytes", "received", "Encoded size of delta and repair batches",
				"bytes");
		this.roundsOk = Counter.builder("hedge.crdt.anti-entropy.rounds")
			.tags(tags.and("outcome", "ok"))
			.description("Anti-entropy rounds of this member with another")
			.register(registry);
		this.roundsFailed = Counter.builder("hedge.crdt.anti-entropy.rounds")
			.tags(tags.and("outcome", "failed"))
			.description("Anti-entropy rounds of this member with another")
			.register(registry);
		this.repairs = Counter.builder("hedge.crdt.anti-entropy.repairs")
			.tags(tags)
			.description("Parts shipped either way by anti-entropy to repair differences")
			.baseUnit("parts")
			.register(registry);
		this.pruned = Counter.builder("hedge.crdt.pruned")
			.tags(tags)
			.description("Removed replicas whose state this member folded into its own as leader")
			.baseUnit("replicas")
			.register(registry);
		Gauge.builder("hedge.crdt.divergence", this.divergence, AtomicInteger::get)
			.tags(tags)
			.description("Parts that differed in this member's last completed anti-entropy round")
			.baseUnit("parts")
			.strongReference(true)
			.register(registry);
	}

	private Counter counter(String name, String direction, String description, String unit) {
		return Counter.builder(name)
			.tags(this.tags.and("direction", direction))
			.description(description)
			.baseUnit(unit)
			.register(this.registry);
	}

	@Override
	public void deltasSent(int entries, long bytes) {
		this.deltasSent.increment(entries);
		this.bytesSent.increment(bytes);
	}

	@Override
	public void deltasReceived(int entries, long bytes) {
		this.deltasReceived.increment(entries);
		this.bytesReceived.increment(bytes);
	}

	@Override
	public void antiEntropy(int differing, int repaired, boolean ok) {
		if (ok) {
			this.roundsOk.increment();
			this.divergence.set(differing);
		}
		else {
			this.roundsFailed.increment();
		}
		this.repairs.increment(repaired);
	}

	@Override
	public void consistent(boolean write, Consistency.Level level, boolean ok, long nanos) {
		String operation = write ? "write" : "read";
		String levelId = level.name().toLowerCase(Locale.ROOT);
		String outcome = ok ? "ok" : "timeout";
		this.timers.computeIfAbsent(operation + levelId + outcome, (key) -> Timer.builder("hedge.crdt.consistent")
			.tags(this.tags.and("operation", operation, "level", levelId, "outcome", outcome))
			.description("Replicated data writes and reads with majority or all consistency, until enough members"
					+ " confirmed")
			.register(this.registry)).record(nanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void pruned(String replica, int values) {
		this.pruned.increment();
	}

}
