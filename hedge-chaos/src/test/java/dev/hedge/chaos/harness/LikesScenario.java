package dev.hedge.chaos.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;

import dev.hedge.chaos.check.CheckResult;
import dev.hedge.chaos.history.Fault;

/**
 * S12's three phases on a cluster of its own ({@link ChaosRun#likes}): five member JVMs whose replicators reach each
 * other through a fault proxy per ordered pair of members, their replicated data durable in the embedded store, each
 * serving the likes service ({@code POST /like}, {@code GET /likes}: a grow-only set of users per post).
 * <ol>
 * <li>partition: the replicator links cut 2 | 3, likes (LOCAL) on both sides, each side converging on its own; healed,
 * every member must hold the same likes of every post within {@link #HEAL_BUDGET};</li>
 * <li>kills: clients send likes (MAJORITY) of distinct (post, user) pairs to random members, ~30 % of them sent again
 * (a client retry, to the same member or another), while two members are SIGKILLed and restarted one after the other;
 * afterwards every member must count, per post, every acknowledged like and nothing beyond the pairs sent (a like
 * whose request failed may or may not count);</li>
 * <li>durable: likes in flight, every member SIGKILLed at once, all restarted: every like acknowledged by a majority
 * (in the kills phase or this one) must be counted by every member again: 0 lost.</li>
 * </ol>
 *
 * <p>Driven by the harness thread; the clients run on {@code s12-client-<n>} threads that each phase starts and stops.
 */
final class LikesScenario {

	/** The bound: after the partition heals, every member equal within 2.5 s. */
	static final Duration HEAL_BUDGET = Duration.ofMillis(2500);

	/** Posts per phase; users are numbered, each (post, user) pair liked by one original request. */
	private static final int POSTS = 12;

	private static final int CLIENTS = 4;

	/** The clients' rate per thread, likes/s (original requests; retries come on top). */
	private static final double CLIENT_RATE = 40;

	private static final double RETRY_SHARE = 0.3;

	private static final Duration MAJORITY_TIMEOUT = Duration.ofSeconds(2);

	private final ChaosRun run;

	private final Cluster cluster;

	private final ScenarioResult result;

	private final List<CheckResult> checks = new ArrayList<>();

	/** Every MAJORITY like acknowledged in the kills and durable phases: post -> users. */
	private final Map<String, Set<String>> acknowledged = new ConcurrentHashMap<>();

	/** Every like sent in the kills and durable phases: post -> users. */
	private final Map<String, Set<String>> attempted = new ConcurrentHashMap<>();

	LikesScenario(ChaosRun run, ScenarioResult result) {
		this.run = run;
		this.cluster = run.cluster;
		this.result = result;
	}

	List<CheckResult> checks() {
		return this.checks;
	}

	// ---- phase 1: a 2 | 3 partition of the replicators ----

	void partition() {
		List<Member> members = this.run.core();
		List<Integer> slots = new ArrayList<>();
		members.forEach((m) -> slots.add(m.slot));
		java.util.Collections.shuffle(slots, this.run.random);
		Set<Integer> minority = new TreeSet<>(slots.subList(0, 2));
		List<Member> small = members.stream().filter((m) -> minority.contains(m.slot)).toList();
		List<Member> large = members.stream().filter((m) -> !minority.contains(m.slot)).toList();
		Fault fault = this.cluster.fault("replica-partition", "replicator", "2|3: "
				+ small.stream().map(Member::name).toList() + " | " + large.stream().map(Member::name).toList());
		this.cluster.partitionReplicas(minority);
		Map<String, Set<String>> smallLikes = new TreeMap<>();
		Map<String, Set<String>> largeLikes = new TreeMap<>();
		CheckResult.Builder check = CheckResult.builder("S12 partition heal");
		int likes = 0;
		for (int i = 0; i < 60; i++) {
			Member member = members.get(i % members.size());
			boolean onSmall = minority.contains(member.slot);
			String post = "s12a-p" + (i % 6);
			String user = (onSmall ? "minority-" : "majority-") + i;
			if (like(member, post, user, "LOCAL") != Outcome.ACKNOWLEDGED) {
				check.violation("a LOCAL like on " + member.name() + " during the partition was not acknowledged");
				continue;
			}
			likes++;
			(onSmall ? smallLikes : largeLikes).computeIfAbsent(post, (p) -> new TreeSet<>()).add(user);
		}
		// each side converges on its own and sees nothing of the other
		boolean sides = poll(Duration.ofSeconds(10), Duration.ofMillis(50),
				() -> small.stream().allMatch((m) -> smallLikes.equals(read(m, "s12a-")))
						&& large.stream().allMatch((m) -> largeLikes.equals(read(m, "s12a-"))));
		if (!sides) {
			check.violation("the sides did not each converge on their own within 10 s of the partition's likes");
		}
		// the members keep pushing into the cut links for a while
		this.run.sleepSeconds(1.5);
		Map<String, Set<String>> all = new TreeMap<>();
		smallLikes.forEach((p, u) -> all.computeIfAbsent(p, (k) -> new TreeSet<>()).addAll(u));
		largeLikes.forEach((p, u) -> all.computeIfAbsent(p, (k) -> new TreeSet<>()).addAll(u));
		this.cluster.healReplicaPartition();
		long healed = System.nanoTime();
		this.cluster.healed(fault);
		boolean equal = poll(Duration.ofSeconds(10), Duration.ofMillis(20),
				() -> members.stream().allMatch((m) -> all.equals(read(m, "s12a-"))));
		long millis = (System.nanoTime() - healed) / 1_000_000;
		this.result.figures.put("partitionLikes", likes);
		this.result.figures.put("healMillis", equal ? millis : -1);
		check.count("likes", likes).count("healMillis", equal ? millis : -1).count("budgetMillis",
				HEAL_BUDGET.toMillis());
		if (!equal) {
			check.violation("the members were not equal within 10 s of healing the 2|3 partition");
		}
		else if (millis > HEAL_BUDGET.toMillis()) {
			check.violation("every member equal only " + millis + " ms after healing (budget "
					+ HEAL_BUDGET.toMillis() + " ms)");
		}
		System.out.printf("[chaos] %7.1f s  S12 2|3 partition healed: all %d members equal after %s ms (budget %d)%n",
				this.cluster.elapsed(), members.size(), equal ? millis : "(never)", HEAL_BUDGET.toMillis());
		this.checks.add(check.build());
	}

	// ---- phase 2: likes with client retries under member SIGKILLs ----

	void kills() {
		Clients clients = new Clients("s12b-", 2, CLIENT_RATE);
		try {
			this.run.sleepSeconds(this.run.uniform(4, 6));
			List<Member> victims = new ArrayList<>(this.run.core());
			java.util.Collections.shuffle(victims, this.run.random);
			for (Member victim : victims.subList(0, 2)) {
				Fault fault = this.cluster.fault("kill", victim.id(), victim.name() + " (likes in flight)");
				victim.kill();
				this.run.sleepSeconds(2);
				this.cluster.start(List.of(victim), null);
				this.cluster.healed(fault);
				this.run.sleepSeconds(this.run.uniform(3, 5));
			}
		}
		finally {
			clients.stop();
		}
		List<Member> members = this.run.core();
		// every member equal again (anti-entropy repairs what the kills interrupted) before the counts are judged
		boolean equal = poll(Duration.ofSeconds(20), Duration.ofMillis(100), () -> {
			Map<String, Set<String>> first = read(members.get(0), "s12b-");
			return first != null && members.stream().allMatch((m) -> first.equals(read(m, "s12b-")));
		});
		CheckResult.Builder check = CheckResult.builder("S12 counts under kills and retries");
		if (!equal) {
			check.violation("the members did not hold equal likes within 20 s of the last restart");
		}
		Counts counts = judge(check, members, "s12b-");
		clients.figures(this.result.figures, "kills");
		this.result.figures.put("killsOverCount", counts.over);
		this.result.figures.put("killsUnderCount", counts.under);
		this.result.figures.put("killsUnknownCounted", counts.unknownCounted);
		check.count("attempted", clients.attempted.get())
			.count("acknowledged", clients.acknowledged.get())
			.count("retries", clients.retries.get())
			.count("overCount", counts.over)
			.count("underCount", counts.under);
		this.checks.add(check.build());
	}

	// ---- phase 3: the whole group SIGKILLed with likes in flight ----

	void groupKill() {
		// unpaced: every client has a like in flight most of the time when the group is killed
		Clients clients = new Clients("s12c-", 3, 0);
		List<Member> members = this.run.core();
		try {
			// until 500 likes are acknowledged (or 8 s)
			poll(Duration.ofSeconds(8), Duration.ofMillis(50), () -> clients.acknowledged.get() >= 500);
			long inFlight = clients.inFlight.get();
			this.result.figures.put("groupKillInFlight", inFlight);
			Fault fault = this.cluster.fault("kill-all", "group", "every member SIGKILLed at once, " + inFlight
					+ " likes in flight");
			List<Process> killed = new ArrayList<>();
			members.forEach((m) -> killed.add(m.killNow()));
			for (Process process : killed) {
				try {
					process.waitFor(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException(ex);
				}
			}
			this.cluster.healed(fault);
		}
		finally {
			clients.stop();
		}
		long restarted = System.nanoTime();
		this.cluster.start(members, null);
		CheckResult.Builder check = CheckResult.builder("S12 durable group SIGKILL");
		// every member counts every like a majority acknowledged, before and during the group's SIGKILL
		Map<String, Set<String>> expected = new TreeMap<>();
		this.acknowledged.forEach((post, users) -> expected.put(post, new TreeSet<>(users)));
		boolean complete = poll(Duration.ofSeconds(20), Duration.ofMillis(100),
				() -> members.stream().allMatch((m) -> holdsAll(read(m, "s12"), expected)));
		if (!complete) {
			System.out.println("[chaos] S12: not every member counts every acknowledged like 20 s after the restart");
		}
		long millis = (System.nanoTime() - restarted) / 1_000_000;
		Counts counts = judge(check, members, "s12b-");
		Counts during = judge(check, members, "s12c-");
		counts.under += during.under;
		counts.over += during.over;
		clients.figures(this.result.figures, "groupKill");
		this.result.figures.put("groupKillLost", counts.under);
		this.result.figures.put("groupKillOverCount", counts.over);
		this.result.figures.put("groupKillRecoveredMillis", complete ? millis : -1);
		this.result.figures.put("acknowledgedTotal", expected.values().stream().mapToLong(Set::size).sum());
		check.count("attempted", clients.attempted.get())
			.count("acknowledged", clients.acknowledged.get())
			.count("acknowledgedTotal", expected.values().stream().mapToLong(Set::size).sum())
			.count("lost", counts.under)
			.count("overCount", counts.over);
		if (!complete && counts.under == 0) {
			check.violation("the members did not all count every acknowledged like within 20 s of the restart");
		}
		this.checks.add(check.build());
	}

	/**
	 * Per-member counts of the posts starting with a prefix against what was acknowledged (under-count: an
	 * acknowledged like missing) and what was sent (over-count: a count beyond the distinct pairs sent, or a user never
	 * sent); the worst member's figures.
	 */
	private Counts judge(CheckResult.Builder check, List<Member> members, String prefix) {
		Counts counts = new Counts();
		for (Member member : members) {
			Map<String, JsonNode> raw = readRaw(member, prefix);
			if (raw == null) {
				check.violation(member.name() + " did not answer its likes");
				continue;
			}
			long over = 0;
			long under = 0;
			long unknown = 0;
			for (Map.Entry<String, Set<String>> acked : this.acknowledged.entrySet()) {
				if (!acked.getKey().startsWith(prefix)) {
					continue;
				}
				Set<String> users = users(raw.get(acked.getKey()));
				for (String user : acked.getValue()) {
					if (!users.contains(user)) {
						under++;
						if (under <= 3) {
							check.violation(member.name() + " lost the acknowledged like " + acked.getKey() + "/"
									+ user);
						}
					}
				}
			}
			for (Map.Entry<String, JsonNode> post : raw.entrySet()) {
				Set<String> sent = this.attempted.getOrDefault(post.getKey(), Set.of());
				Set<String> acked = this.acknowledged.getOrDefault(post.getKey(), Set.of());
				long count = post.getValue().path("count").asLong();
				Set<String> users = users(post.getValue());
				Set<String> phantoms = new HashSet<>(users);
				phantoms.removeAll(sent);
				over += Math.max(0, count - sent.size()) + phantoms.size() + Math.max(0, count - users.size());
				unknown += users.stream().filter((u) -> sent.contains(u) && !acked.contains(u)).count();
			}
			if (over > 0) {
				check.violation(member.name() + " over-counts by " + over + " (likes beyond the distinct pairs sent)");
			}
			counts.over = Math.max(counts.over, over);
			counts.under = Math.max(counts.under, under);
			counts.unknownCounted = Math.max(counts.unknownCounted, unknown);
		}
		return counts;
	}

	private static final class Counts {

		long over;

		long under;

		long unknownCounted;

	}

	private static Set<String> users(JsonNode post) {
		Set<String> users = new HashSet<>();
		if (post != null) {
			post.path("users").forEach((u) -> users.add(u.asText()));
		}
		return users;
	}

	private static boolean holdsAll(Map<String, Set<String>> held, Map<String, Set<String>> expected) {
		if (held == null) {
			return false;
		}
		return expected.entrySet().stream().allMatch((e) -> held.getOrDefault(e.getKey(), Set.of())
			.containsAll(e.getValue()));
	}

	// ---- the likes service ----

	enum Outcome {

		ACKNOWLEDGED, UNKNOWN

	}

	private static Outcome like(Member member, String post, String user, String consistency) {
		try {
			member.call("POST", "/like?post=" + post + "&user=" + user + "&consistency=" + consistency
					+ "&timeoutMillis=" + MAJORITY_TIMEOUT.toMillis(), MAJORITY_TIMEOUT.plusSeconds(3));
			return Outcome.ACKNOWLEDGED;
		}
		catch (RuntimeException ex) {
			// 202 (too few confirmed in time), 503, refused, timed out: applied or not, nobody knows
			return Outcome.UNKNOWN;
		}
	}

	/** A member's likes of posts starting with a prefix (post -> users), or {@code null} when it does not answer. */
	private static Map<String, Set<String>> read(Member member, String prefix) {
		Map<String, JsonNode> raw = readRaw(member, prefix);
		if (raw == null) {
			return null;
		}
		Map<String, Set<String>> posts = new TreeMap<>();
		raw.forEach((post, node) -> posts.put(post, new TreeSet<>(users(node))));
		return posts;
	}

	private static Map<String, JsonNode> readRaw(Member member, String prefix) {
		try {
			JsonNode node = member.call("GET", "/likes?prefix=" + prefix, Duration.ofSeconds(3));
			Map<String, JsonNode> posts = new LinkedHashMap<>();
			node.fields().forEachRemaining((e) -> posts.put(e.getKey(), e.getValue()));
			return posts;
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	/** Polls a condition every {@code every} until it holds or the deadline passes; whether it held. */
	private static boolean poll(Duration timeout, Duration every, java.util.function.BooleanSupplier condition) {
		long end = System.nanoTime() + timeout.toNanos();
		while (true) {
			if (condition.getAsBoolean()) {
				return true;
			}
			if (System.nanoTime() - end >= 0) {
				return false;
			}
			Cluster.sleep(every.toMillis());
		}
	}

	/**
	 * Clients sending MAJORITY likes of distinct (post, user) pairs to random live members, each paced (or not); ~{@link #RETRY_SHARE} of them are sent again (as a client that did not trust or did not
	 * get the answer), half to the same member, half to another. Their threads run until {@link #stop()}.
	 */
	private final class Clients {

		final AtomicLong attempted = new AtomicLong();

		final AtomicLong acknowledged = new AtomicLong();

		final AtomicLong unknown = new AtomicLong();

		final AtomicLong retries = new AtomicLong();

		final AtomicLong requests = new AtomicLong();

		/** Requests sent and not answered yet. */
		final AtomicLong inFlight = new AtomicLong();

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final ExecutorService threads;

		/** @param rate original likes per second per client, or 0 for as fast as they are answered */
		Clients(String prefix, int phase, double rate) {
			AtomicInteger names = new AtomicInteger();
			AtomicInteger next = new AtomicInteger();
			this.threads = Executors.newFixedThreadPool(CLIENTS,
					(task) -> new Thread(task, "s12-client-" + names.incrementAndGet()));
			long seed = LikesScenario.this.cluster.seed() * 31 + phase;
			for (int c = 0; c < CLIENTS; c++) {
				Random random = new Random(seed * 1_000_003L + c);
				this.threads.execute(() -> send(prefix, next, random, rate));
			}
		}

		private void send(String prefix, AtomicInteger next, Random random, double rate) {
			long interval = (rate > 0) ? (long) (1e9 / rate) : 0;
			long due = System.nanoTime();
			while (this.running.get()) {
				int n = next.getAndIncrement();
				String post = prefix + "p" + (n % POSTS);
				String user = "u" + (n / POSTS);
				LikesScenario.this.attempted.computeIfAbsent(post, (p) -> ConcurrentHashMap.newKeySet()).add(user);
				this.attempted.incrementAndGet();
				List<Member> live = LikesScenario.this.cluster.live();
				if (live.isEmpty()) {
					this.unknown.incrementAndGet();
					return;
				}
				Member member = live.get(random.nextInt(live.size()));
				boolean ok = send(member, post, user);
				if (random.nextDouble() < RETRY_SHARE) {
					Member again = random.nextBoolean() ? member : live.get(random.nextInt(live.size()));
					this.retries.incrementAndGet();
					ok |= send(again, post, user);
				}
				if (ok) {
					LikesScenario.this.acknowledged.computeIfAbsent(post, (p) -> ConcurrentHashMap.newKeySet())
						.add(user);
					this.acknowledged.incrementAndGet();
				}
				else {
					this.unknown.incrementAndGet();
				}
				due += interval;
				long wait = due - System.nanoTime();
				if (wait > 0) {
					// pacing, not a wait for an outcome
					try {
						Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
					}
					catch (InterruptedException ex) {
						return;
					}
				}
				else {
					due = System.nanoTime();
				}
			}
		}

		private boolean send(Member member, String post, String user) {
			this.requests.incrementAndGet();
			this.inFlight.incrementAndGet();
			try {
				return like(member, post, user, "MAJORITY") == Outcome.ACKNOWLEDGED;
			}
			finally {
				this.inFlight.decrementAndGet();
			}
		}

		/** Stops the clients and waits for their last requests (each ends within its HTTP timeout). */
		void stop() {
			this.running.set(false);
			this.threads.shutdown();
			try {
				if (!this.threads.awaitTermination(15, TimeUnit.SECONDS)) {
					this.threads.shutdownNow();
					this.threads.awaitTermination(5, TimeUnit.SECONDS);
				}
			}
			catch (InterruptedException ex) {
				this.threads.shutdownNow();
				Thread.currentThread().interrupt();
			}
		}

		void figures(Map<String, Object> figures, String phase) {
			figures.put(phase + "LikesAttempted", this.attempted.get());
			figures.put(phase + "LikesAcknowledged", this.acknowledged.get());
			figures.put(phase + "LikesUnknown", this.unknown.get());
			figures.put(phase + "Retries", this.retries.get());
			figures.put(phase + "Requests", this.requests.get());
		}

	}

}
