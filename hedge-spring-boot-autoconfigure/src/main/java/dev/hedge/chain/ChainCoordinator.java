package dev.hedge.chain;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hedge.common.NamedThreads;
import dev.hedge.common.Ticker;
import dev.hedge.election.Fence;
import dev.hedge.election.FencedException;
import dev.hedge.election.Leadership;
import dev.hedge.election.LeadershipEvent;
import dev.hedge.election.LeadershipListener;
import dev.hedge.membership.Membership;
import dev.hedge.membership.MembershipChange;
import dev.hedge.membership.MembershipListener;

/**
 * The chain's coordinator, run by whichever member leads the hedge group. On grant it reads the configuration from
 * the store and continues from it; then it reconfigures as members come and go: it drops a member that left hedge's
 * membership, went silent on the chain for the member timeout, restarted with another incarnation, or asked to leave;
 * it adds one joining member at a time as the syncing member behind the read tail, and makes it a serving member once
 * it reports it has caught up. Every change is one compare-and-set write of the next version, fenced by the leader's
 * epoch; only after it committed is it pushed to every member. So a deposed leader changes nothing, and a new leader
 * loses nothing.
 *
 * <p><b>Read leases.</b> The coordinator grants each serving member a read lease with every heartbeat answer
 * ({@link #leaseMillis()}, at most the leader's own remaining lease). Before a configuration without a member that did
 * not ask to leave is written, the coordinator stops granting it leases and waits until the last one it granted has
 * run out, so a member cut off from the coordinator has stopped serving reads before the chain accepts a write
 * without it.
 *
 * <p>If every serving member is gone (crashed, or left), a durable last member is kept (the chain waits for it to come
 * back with its data); an in-memory one is dropped and the chain starts again empty: with in-memory stores, losing
 * every chain member loses the chain's data.
 *
 * <p>Threading: decisions and store calls run on {@code hedge-<group>-chain-coordinator}, started at construction and
 * stopped by {@link #close()}; heartbeats are answered on gRPC threads from the state this object's monitor guards.
 */
final class ChainCoordinator implements LeadershipListener, MembershipListener {

	private static final Logger logger = LoggerFactory.getLogger(ChainCoordinator.class);

	/** Slack added to a lease before a member is taken out without its cooperation. */
	private static final long LEASE_SLACK_MILLIS = 50;

	private final String group;

	private final String self;

	/** This process's own chain member (id and incarnation). */
	private final ChainMember local;

	private final Leadership leadership;

	private final Membership membership;

	private final ChainConfigStore store;

	private final ChainClient client;

	private final Consumer<ChainConfig> localAdopt;

	private final Duration storeTimeout;

	private final Duration interval;

	private final Duration memberTimeout;

	private final Duration hop;

	private final Ticker ticker;

	private final ScheduledExecutorService loop;

	// ---- guarded by this ----

	private long epoch;

	private ChainConfig config;

	private final Map<String, Long> lastHeard = new HashMap<>();

	/** Members heard from since this coordinator loaded the configuration. */
	private final Set<String> heardSinceLoad = new HashSet<>();

	private long loadedAt;

	private final Map<String, Long> lastGrant = new HashMap<>();

	private final Map<String, ChainMember> joiners = new LinkedHashMap<>();

	private final Set<String> leaving = new HashSet<>();

	private final Set<String> caughtUp = new HashSet<>();

	private final Set<String> removing = new HashSet<>();

	private boolean reconcileQueued;

	private volatile boolean closed;

	ChainCoordinator(String group, ChainMember local, Leadership leadership, Membership membership,
			ChainConfigStore store, ChainClient client, Consumer<ChainConfig> localAdopt, Duration storeTimeout,
			Duration interval, Duration memberTimeout, Duration hop, Ticker ticker) {
		this.group = group;
		this.self = local.id();
		this.local = local;
		this.leadership = leadership;
		this.membership = membership;
		this.store = store;
		this.client = client;
		this.localAdopt = localAdopt;
		this.storeTimeout = storeTimeout;
		this.interval = interval;
		this.memberTimeout = memberTimeout;
		this.hop = hop;
		this.ticker = ticker;
		this.loop = Executors.newSingleThreadScheduledExecutor(
				NamedThreads.single(NamedThreads.owner(group), "chain-coordinator"));
	}

	/** Starts the periodic pass (it does nothing while this member does not coordinate). */
	void start() {
		try {
			this.loop.scheduleWithFixedDelay(this::tick, this.interval.toMillis(), this.interval.toMillis(),
					TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// closed
		}
	}

	/** The read lease granted with a heartbeat answer: the member timeout less one heartbeat interval. */
	long leaseMillis() {
		return this.memberTimeout.minus(this.interval).toMillis();
	}

	static String key(ChainMember member) {
		return member.id() + " " + member.incarnation();
	}

	// ---- leadership ----

	@Override
	public void onGranted(LeadershipEvent event) {
		execute(() -> load(event.epoch()), 0);
	}

	@Override
	public synchronized void onRevoked(LeadershipEvent event) {
		this.epoch = 0;
		this.config = null;
		this.lastHeard.clear();
		this.heardSinceLoad.clear();
		this.lastGrant.clear();
		this.joiners.clear();
		this.leaving.clear();
		this.caughtUp.clear();
		this.removing.clear();
	}

	@Override
	public void onChange(MembershipChange change) {
		reconcileSoon();
	}

	private void load(long term) {
		if (this.closed || !leads(term)) {
			return;
		}
		ChainConfig stored;
		try {
			stored = this.store.read(this.group, ChainConfigStore.DEFAULT_CHAIN, this.storeTimeout)
				.orElse(ChainConfig.NONE);
		}
		catch (RuntimeException ex) {
			logger.warn("Chain coordinator {} could not read the chain configuration; trying again", this.self, ex);
			execute(() -> load(term), this.interval.toMillis());
			return;
		}
		synchronized (this) {
			if (!leads(term)) {
				return;
			}
			this.epoch = term;
			this.config = stored;
			long now = this.ticker.nanoTime();
			this.loadedAt = now;
			this.heardSinceLoad.clear();
			stored.chain().forEach((member) -> this.lastHeard.put(key(member), now));
		}
		logger.info("Chain coordinator {} (epoch {}) continues from {}", this.self, term, stored);
		this.localAdopt.accept(stored);
		execute(this::reconcile, 0);
	}

	private boolean leads(long term) {
		return this.leadership.isLeader() && this.leadership.epoch() == term;
	}

	private void tick() {
		try {
			reconcile();
		}
		catch (RuntimeException ex) {
			logger.warn("Chain coordinator {} step failed", this.self, ex);
		}
	}

	// ---- heartbeats ----

	/**
	 * Answers a member's heartbeat.
	 * @return the configuration and a read lease, or null when this member does not coordinate (yet)
	 */
	Heartbeat.Answer heartbeat(Heartbeat heartbeat) {
		boolean changed = false;
		Heartbeat.Answer answer;
		synchronized (this) {
			if (this.config == null || !this.leadership.isLeader() || this.leadership.epoch() != this.epoch) {
				return null;
			}
			ChainMember member = heartbeat.member();
			String key = key(member);
			long now = this.ticker.nanoTime();
			this.heardSinceLoad.add(key);
			if (this.config.inChain(member)) {
				this.lastHeard.put(key, now);
			}
			else if (!heartbeat.leaving()) {
				ChainMember known = this.joiners.put(member.id(), member);
				changed = known == null || !known.sameAs(member);
				this.lastHeard.put(key, now);
			}
			if (heartbeat.leaving() && this.config.inChain(member)) {
				changed |= this.leaving.add(key);
			}
			if (heartbeat.caughtUp() && member.sameAs(this.config.syncing())) {
				changed |= this.caughtUp.add(key);
			}
			long lease = 0;
			if (this.config.isServing(member) && !this.removing.contains(key) && !this.leaving.contains(key)) {
				lease = Math.min(leaseMillis(),
						this.leadership.leaseRemaining().map(Duration::toMillis).orElse(0L));
				if (lease > 0) {
					this.lastGrant.put(key, now);
				}
			}
			answer = new Heartbeat.Answer(this.config, lease);
		}
		if (changed) {
			reconcileSoon();
		}
		return answer;
	}

	// ---- reconfiguration ----

	private void reconcileSoon() {
		synchronized (this) {
			if (this.reconcileQueued || this.epoch == 0) {
				return;
			}
			this.reconcileQueued = true;
		}
		execute(this::reconcile, 0);
	}

	private void reconcile() {
		Plan plan;
		synchronized (this) {
			this.reconcileQueued = false;
			if (this.config == null || this.closed) {
				return;
			}
			plan = plan();
			if (plan == null) {
				return;
			}
			if (plan.waitMillis > 0) {
				this.removing.addAll(plan.forced);
			}
		}
		if (plan.waitMillis > 0) {
			logger.info("Chain coordinator {} waits {} ms for the read leases of {} to run out", this.self,
					plan.waitMillis, plan.forced);
			execute(this::reconcile, plan.waitMillis);
			return;
		}
		write(plan.next);
	}

	/** The next configuration, or null if the chain stays as it is. Holds the monitor. */
	private Plan plan() {
		long now = this.ticker.nanoTime();
		Set<String> present = new HashSet<>(this.membership.members());
		ChainConfig current = this.config;
		List<ChainMember> members = new ArrayList<>();
		for (ChainMember member : current.members()) {
			if (stays(member, present, now)) {
				members.add(member);
			}
		}
		ChainMember syncing = current.syncing();
		if (syncing != null && !stays(syncing, present, now)) {
			syncing = null;
		}
		if (members.isEmpty() && !current.members().isEmpty()) {
			ChainMember last = current.members().get(current.members().size() - 1);
			if (last.durable()) {
				// its data is the chain's: wait for it (crashed or restarting) rather than start an empty chain
				members.add(last);
			}
			else if (present.contains(last.id()) && !this.leaving.contains(key(last)) && !restarted(last)) {
				// only silent on the chain (a slow or paused process), and hedge's membership still lists it: its
				// data may be the only copy, so wait for it rather than start an empty chain
				members.add(last);
			}
			else if (this.leaving.contains(key(last))) {
				logger.info("Chain coordinator {}: the last member of {} left; the chain is empty", this.self,
						current);
				syncing = null;
			}
			else {
				logger.error("Chain coordinator {}: every member of {} is gone; the chain starts again empty (its"
						+ " data is lost)", this.self, current);
				syncing = null;
			}
		}
		if (syncing != null && this.caughtUp.contains(key(syncing))) {
			members.add(syncing);
			syncing = null;
		}
		if (syncing == null) {
			syncing = nextJoiner(members, present, now);
		}
		ChainConfig next = current.next(this.epoch, members, syncing);
		if (next.sameChain(current)) {
			return null;
		}
		List<String> forced = new ArrayList<>();
		long wait = 0;
		for (ChainMember gone : current.chain()) {
			if (!next.inChain(gone) && !this.leaving.contains(key(gone))) {
				forced.add(key(gone));
				Long granted = this.lastGrant.get(key(gone));
				if (granted != null) {
					long until = granted + TimeUnit.MILLISECONDS.toNanos(leaseMillis() + LEASE_SLACK_MILLIS);
					wait = Math.max(wait, TimeUnit.NANOSECONDS.toMillis(until - now) + 1);
				}
			}
		}
		return new Plan(next, forced, wait);
	}

	/**
	 * Whether a member stays in the chain: it did not ask to leave, did not restart with another incarnation, and was
	 * heard from within the member timeout (within two heartbeat intervals if hedge's membership no longer lists
	 * it); a member not heard from at all since this coordinator took over is given three heartbeat intervals to
	 * find it (the leases the previous coordinator granted ended with its term). This coordinator's own member stays
	 * whatever its heartbeats: the process runs.
	 */
	private boolean stays(ChainMember member, Set<String> present, long now) {
		String key = key(member);
		if (this.leaving.contains(key)) {
			return false;
		}
		if (restarted(member)) {
			return false; // restarted with another incarnation: the old one's data is gone
		}
		if (member.sameAs(this.local)) {
			return true; // this process runs: its own heartbeats may be late (a pause), it is not gone
		}
		if (!this.heardSinceLoad.contains(key)) {
			return now - this.loadedAt <= this.interval.multipliedBy(3).toNanos();
		}
		long silent = now - this.lastHeard.getOrDefault(key, this.loadedAt);
		return silent <= this.memberTimeout.toNanos()
				&& (present.contains(member.id()) || silent <= this.interval.multipliedBy(2).toNanos());
	}

	/** Whether another incarnation of the member's id has asked to join (the member restarted). */
	private boolean restarted(ChainMember member) {
		ChainMember joiner = this.joiners.get(member.id());
		return joiner != null && !joiner.sameAs(member);
	}

	private ChainMember nextJoiner(List<ChainMember> members, Set<String> present, long now) {
		Set<String> taken = new TreeSet<>();
		members.forEach((member) -> taken.add(member.id()));
		for (ChainMember joiner : this.joiners.values()) {
			Long heard = this.lastHeard.get(key(joiner));
			if (!taken.contains(joiner.id()) && heard != null && now - heard <= this.memberTimeout.toNanos()
					&& (present.contains(joiner.id()) || now - heard <= this.interval.multipliedBy(2).toNanos())) {
				return joiner;
			}
		}
		return null;
	}

	private void write(ChainConfig next) {
		Optional<Fence> fence = this.leadership.fence();
		if (fence.isEmpty() || fence.get().epoch() != next.epoch()) {
			return;
		}
		try {
			this.store.write(fence.get(), ChainConfigStore.DEFAULT_CHAIN, next, this.self, this.storeTimeout);
		}
		catch (FencedException ex) {
			logger.info("Chain coordinator {} was fenced off writing {}: {}", this.self, next, ex.getMessage());
			return;
		}
		catch (ChainConfigConflictException ex) {
			logger.warn("Chain coordinator {}: {}; reading the stored configuration again", this.self,
					ex.getMessage());
			execute(() -> load(next.epoch()), 0);
			return;
		}
		catch (RuntimeException ex) {
			logger.warn("Chain coordinator {} could not write {}; trying again", this.self, next, ex);
			execute(this::reconcile, this.interval.toMillis());
			return;
		}
		synchronized (this) {
			if (this.epoch != next.epoch()) {
				return;
			}
			this.config = next;
			Set<String> keys = new HashSet<>();
			next.chain().forEach((member) -> keys.add(key(member)));
			this.joiners.values().removeIf((joiner) -> next.member(joiner.id()).isPresent());
			this.leaving.retainAll(keys);
			this.caughtUp.retainAll(keys);
			this.removing.retainAll(keys);
			this.lastGrant.keySet().retainAll(keys);
			Set<String> joining = new HashSet<>();
			this.joiners.values().forEach((joiner) -> joining.add(key(joiner)));
			this.lastHeard.keySet().removeIf((key) -> !keys.contains(key) && !joining.contains(key));
			this.heardSinceLoad.removeIf((key) -> !keys.contains(key) && !joining.contains(key));
		}
		logger.info("Chain coordinator {} wrote {}", this.self, next);
		push(next);
		reconcileSoon();
	}

	private void push(ChainConfig next) {
		this.localAdopt.accept(next);
		Set<String> targets = new TreeSet<>(this.membership.members());
		next.chain().forEach((member) -> targets.add(member.id()));
		targets.remove(this.self);
		for (String target : targets) {
			this.client.push(target, this.hop, next).whenComplete((ok, error) -> {
				if (error != null) {
					logger.debug("Push of chain configuration {} to {} failed: {}", next.version(), target,
							error.getMessage());
				}
			});
		}
	}

	private void execute(Runnable task, long delayMillis) {
		if (this.closed) {
			return;
		}
		try {
			this.loop.schedule(() -> {
				try {
					task.run();
				}
				catch (RuntimeException ex) {
					logger.warn("Chain coordinator {} step failed", this.self, ex);
				}
			}, delayMillis, TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// closed
		}
	}

	void close() {
		this.closed = true;
		this.loop.shutdownNow();
		try {
			this.loop.awaitTermination(this.storeTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private record Plan(ChainConfig next, List<String> forced, long waitMillis) {

	}

}
