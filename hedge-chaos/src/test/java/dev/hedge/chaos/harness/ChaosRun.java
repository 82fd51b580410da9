package dev.hedge.chaos.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;

import dev.hedge.chaos.check.Check;
import dev.hedge.chaos.check.FenceAuditChecker;
import dev.hedge.chaos.check.LeadershipOverlapChecker;
import dev.hedge.chaos.check.Liveness;
import dev.hedge.chaos.check.PermitSnapshots;
import dev.hedge.chaos.check.Report;
import dev.hedge.chaos.check.SemaphoreChecker;
import dev.hedge.chaos.check.SetFullChecker;
import dev.hedge.chaos.history.Fault;
import dev.hedge.chaos.history.Op;
import dev.hedge.chaos.history.Term;
import dev.hedge.chaos.member.MemberMain;
import dev.hedge.testsupport.FaultProxy;

/**
 * Runs the scenarios of reliability-plan.md §4.6 on one cluster: each with the workload running on its own keys,
 * its seeded faults, then heal, convergence, final reads and every checker. Durations and fault counts scale with
 * {@code scale} (1 in CI, 5 in long mode).
 *
 * <p>Driven by one harness thread.
 */
final class ChaosRun implements AutoCloseable {

	/** Workload rate per member, ops/s. */
	static final double RATE = 12;

	static final Duration L = MemberMain.ELECTION.leaseDuration();

	/**
	 * Graceful hand-over budget, from the SIGTERM to the next leader's first moment: the issue's 1 s (the plan allows
	 * 2 s). It held on the loaded 2-core emulator once the lease's transactions stopped waiting 250 ms and more
	 * between aborted attempts (a release had committed 1.37 s after its leader stepped down).
	 */
	static final Duration HANDOVER_BUDGET = Duration.ofSeconds(1);

	/** The issue's graceful hand-over target, printed next to the figure (equal to the budget). */
	static final Duration HANDOVER_TARGET = Duration.ofSeconds(1);

	/**
	 * The fault kind of a take-over of the embedded database file (target {@code db}): from the SIGKILL or SIGTERM of
	 * the process serving it until another process serves it. Every member's store calls wait for it.
	 */
	static final String DB_TAKEOVER = "db-takeover";

	/** The crash-failover bound L + G + P. */
	static final Duration FAILOVER_BOUND = MemberMain.ELECTION.failoverBound();

	final Cluster cluster;

	final Random random;

	final int size;

	final int scale;

	final List<ScenarioResult> results = new ArrayList<>();

	private final Map<Long, long[]> hygieneBaseline = new HashMap<>();

	private final Map<Long, long[]> hygieneLast = new HashMap<>();

	private final Map<Long, Map<String, Integer>> namesBaseline = new HashMap<>();

	private final Map<Long, Map<String, Integer>> namesLast = new HashMap<>();

	/**
	 * Thread pools that grow with load and shrink when idle, or grow lazily to a fixed size: gRPC's cached executor
	 * and transport threads, the common pool, the Spanner client's executors, hedge's election I/O pool and its
	 * Spanner call pool (at most 64 threads; idle ones end after 30 s), whose names {@code /proc} cuts to
	 * {@code hedge-chaos-ele} and {@code hedge-spanner-c}, plus the JVM's attach listener that the S4 thread dumps
	 * start. Their size after a scenario says nothing about leaks, so thread growth is judged without them (and
	 * reported with them).
	 */
	static final List<String> ELASTIC_POOLS = List.of("grpc-default-ex", "ForkJoinPool", "Gax-",
			"hedge-chaos-ele", "hedge-spanner-c", "grpc-transport-", "Attach Listener");

	long bootToLeaderNanos;

	long unexpectedExits;

	/**
	 * Whether a scenario with leader faults fails on slow failovers and hand-overs (C9 liveness against L+G+P and the
	 * hand-over budget): on Spanner and PostgreSQL. On the embedded store, the SIGKILL of the process serving the
	 * database file stalls every member until another takes the file over, so failover and hand-over times are
	 * measured and printed, not judged (a group left without a leader still fails its scenario), and a killed holder's
	 * permit is judged against {@link Checks#EMBEDDED_RECLAIM_BUDGET} (one never reclaimed still fails).
	 */
	final boolean judgeLiveness;

	ChaosRun(long seed, Path runDir, int size, int spare, int scale) throws IOException {
		this(seed, new Cluster(seed, runDir, size + spare), size, scale, true);
	}

	private ChaosRun(long seed, Cluster cluster, int size, int scale, boolean judgeLiveness) {
		this.random = new Random(seed);
		this.size = size;
		this.scale = scale;
		this.cluster = cluster;
		this.judgeLiveness = judgeLiveness;
	}

	/**
	 * A run on the embedded store: every member of every group opens one directory, each in its JVM time zone.
	 * @param zones per group, its members' time zones (one member per zone)
	 */
	static ChaosRun embedded(long seed, Path runDir, Map<String, List<String>> zones, int scale) throws IOException {
		Cluster cluster = Cluster.embedded(seed, runDir, zones);
		return new ChaosRun(seed, cluster, cluster.slots().size(), scale, false);
	}

	/** A run on a private PostgreSQL server: one group of {@code size} members, each through its DB-link proxy. */
	static ChaosRun postgres(long seed, Path runDir, int size, int scale) throws IOException {
		return new ChaosRun(seed, Cluster.postgres(seed, runDir, size), size, scale, true);
	}

	List<Member> core() {
		return this.cluster.slots().subList(0, this.size);
	}

	void boot(String failpoints) {
		long start = System.nanoTime();
		this.cluster.start(core(), failpoints);
		for (String group : this.cluster.groups()) {
			this.cluster.awaitLeader(group, Duration.ofSeconds(30));
		}
		this.bootToLeaderNanos = System.nanoTime() - start;
		long converged = this.cluster.awaitConverged(Duration.ofSeconds(30));
		System.out.printf("[chaos] booted %d members in %.1f s (leader after %.1f s, converged %s)%n", this.size,
				(System.nanoTime() - start) / 1e9, this.bootToLeaderNanos / 1e9,
				(converged >= 0) ? "yes" : "NO");
	}

	double uniform(double from, double to) {
		return from + this.random.nextDouble() * (to - from);
	}

	void sleepSeconds(double seconds) {
		Cluster.sleep((long) (seconds * 1000));
	}

	/**
	 * Runs one scenario: workload on keys {@code <id>-kNN} ({@code <id>-<group>-kNN} in a cluster of several groups),
	 * the body's faults, heal, convergence, checks (per group).
	 */
	ScenarioResult scenario(String id, String title, Consumer<ScenarioResult> body) {
		System.out.printf("[chaos] %7.1f s  ==== %s %s%n", this.cluster.elapsed(), id, title);
		String prefix = id.toLowerCase() + "-";
		long start = System.nanoTime();
		int faultsBefore = this.cluster.faults().size();
		ScenarioResult result = new ScenarioResult(id, title, 0);
		result.startNanos = start;
		this.cluster.startWorkload(prefix, RATE, "default");
		runAndSettle(result, body);
		this.cluster.stopWorkload();
		long end = System.nanoTime();
		result.endNanos = end;
		checkExits(result);
		List<Fault> faults = this.cluster.faults().subList(faultsBefore, this.cluster.faults().size());
		check(result, prefix, start, end, faults);
		sampleHygiene();
		long seconds = (end - start) / 1_000_000_000L;
		ScenarioResult timed = result;
		timed.figures.put("seconds", seconds);
		this.results.add(timed);
		print(timed);
		return timed;
	}

	/**
	 * Runs a scenario's body (an exception is a problem of the scenario), then heals every fault, restarts the members
	 * that are down and waits (20 s at most) for one leader and agreeing member lists.
	 */
	private void runAndSettle(ScenarioResult result, Consumer<ScenarioResult> body) {
		try {
			body.accept(result);
		}
		catch (RuntimeException ex) {
			result.problems.add("the scenario failed: " + ex);
			ex.printStackTrace(System.out);
		}
		this.cluster.healAll();
		checkExits(result);
		restartDead();
		long converge = this.cluster.awaitConverged(Duration.ofSeconds(20));
		result.figures.put("convergenceMillis", (converge >= 0) ? converge / 1_000_000 : -1);
		if (converge < 0) {
			result.problems.add("no single leader with agreeing member lists within 20 s of healing");
			// evidence: what every member is doing while the group does not converge
			this.cluster.live().forEach((m) -> threadDump(m, result.id + "-not-converged"));
		}
	}

	/** SIGKILLs the leader and restarts it 3 s later. */
	private void killAndRestartLeader() {
		Member leader = this.cluster.awaitLeader(Duration.ofSeconds(15));
		Fault fault = this.cluster.fault("kill", leader.id(), leader.name());
		leader.kill();
		sleepSeconds(3);
		this.cluster.start(List.of(leader), null);
		this.cluster.healed(fault);
	}

	private void restartDead() {
		List<Member> dead = new ArrayList<>();
		for (Member member : core()) {
			if (!member.isAlive()) {
				dead.add(member);
			}
		}
		if (!dead.isEmpty()) {
			this.cluster.start(dead, null);
		}
	}

	void checkExits(ScenarioResult result) {
		for (Member member : this.cluster.slots()) {
			if (member.exitedUnexpectedly()) {
				this.unexpectedExits++;
				result.problems.add(member.name() + " exited on its own (see its log)");
			}
		}
	}

	/**
	 * Runs every checker: per group on that group's histories and keys (named {@code "<check> [<group>]"} in a
	 * cluster of several groups, whose per-group figures go to the figure {@code groups}), plus, with several groups,
	 * C6c and the pooled C1 control over all of them.
	 */
	private void check(ScenarioResult result, String prefix, long start, long end, List<Fault> faults) {
		List<String> groups = this.cluster.groups();
		boolean several = groups.size() > 1;
		List<Check> checks = new ArrayList<>();
		Map<String, Object> perGroup = new LinkedHashMap<>();
		for (String group : groups) {
			Map<String, Object> figures = several ? new LinkedHashMap<>() : result.figures;
			List<Check> own = groupChecks(result, group, prefix, start, end, faults, figures);
			checks.addAll(several ? Checks.forGroup(group, own) : own);
			perGroup.put(group, figures);
		}
		if (several) {
			Histories all = Histories.read(this.cluster);
			checks.add(Check.of(Checks.ISOLATION,
					() -> Checks.semaphoreIsolation(this.cluster::groupOf, all.effects(), all.holds())));
			checks.add(Check.of(Checks.POOLED_CONTROL, () -> Checks.pooledControl(all.terms(), all.holds())));
			result.figures.put("groups", perGroup);
		}
		result.report = Report.run(checks);
		try {
			result.report.writeJson(this.cluster.runDir().resolve("report-" + result.id + ".json"));
		}
		catch (IOException ex) {
			// the printed summary still has it
		}
	}

	private List<Check> groupChecks(ScenarioResult result, String group, String scenarioPrefix, long start, long end,
			List<Fault> faults, Map<String, Object> figures) {
		String prefix = this.cluster.keyPrefix(scenarioPrefix, group);
		Histories histories = Histories.read(this.cluster, group);
		List<Op> kvOps = histories.ops()
			.stream()
			.filter((o) -> o.key() != null && o.key().startsWith(prefix))
			.toList();
		List<Op> windowOps = histories.ops()
			.stream()
			.filter((o) -> (o.key() != null && o.key().startsWith(prefix))
					|| (o.key() == null || !o.key().contains("-k")) && o.invokeNanos() >= start
							&& o.invokeNanos() < end)
			.toList();
		Map<String, List<String>> finalRead;
		try {
			finalRead = this.cluster.finalRead(prefix, 50);
		}
		catch (RuntimeException ex) {
			result.problems.add("the final read of " + prefix + "* failed: " + ex);
			finalRead = Map.of();
		}
		Map<String, List<String>> read = finalRead;
		PermitSnapshots snapshots = this.cluster.snapshots(group);
		List<Check> checks = new ArrayList<>(Checks.safety(histories, snapshots));
		// an op that never returned because its process was killed is not hung: it stays "info" for the checkers
		// and an op of a process that was paused (SIGSTOP) meanwhile measures the pause, not the library
		List<Fault> pauses = this.cluster.faults().stream().filter((f) -> "pause".equals(f.kind())).toList();
		List<Op> judged = windowOps.stream()
			.filter((o) -> o.returned() || processAlive(o.process()))
			.filter((o) -> pauses.stream().noneMatch((f) -> f.target().equals(memberId(o.process()))
					&& f.startNanos() < o.returnNanos() && f.endNanos() > o.invokeNanos()))
			.toList();
		// an op that returned after overlapping a take-over of the embedded database file measures that take-over:
		// reported (and a known issue when over its deadline), not judged; one that never returned still is
		List<Fault> takeovers = this.cluster.faults().stream().filter((f) -> DB_TAKEOVER.equals(f.kind())).toList();
		List<Op> acrossTakeovers = judged.stream()
			.filter((o) -> o.returned() && takeovers.stream()
				.anyMatch((f) -> f.startNanos() < o.returnNanos() && f.endNanos() > o.invokeNanos()))
			.toList();
		if (!takeovers.isEmpty()) {
			judged = judged.stream().filter((o) -> !acrossTakeovers.contains(o)).toList();
			reportTakeoverLatency(result, group, acrossTakeovers, figures);
		}
		checks.addAll(Checks.workload(kvOps, read, judged));
		List<Fault> allFaults = this.cluster.faults();
		long now = System.nanoTime();
		Duration reclaimBudget = this.judgeLiveness ? Checks.RECLAIM_BUDGET : Checks.EMBEDDED_RECLAIM_BUDGET;
		checks.add(Check.of(Checks.RECLAIM,
				() -> Checks.permitReclaim(histories, allFaults, now, snapshots, reclaimBudget)));
		boolean leaderFaults = faults.stream().anyMatch((f) -> Set.of("kill", "pause", "terminate").contains(f.kind()));
		if (leaderFaults && this.judgeLiveness) {
			checks.add(Check.of(Liveness.NAME, () -> new Liveness().check(histories.terms(), faults,
					FAILOVER_BOUND, FAILOVER_BOUND, HANDOVER_BUDGET)));
		}
		long seconds = Math.max(1, (end - start) / 1_000_000_000L);
		long acquires = windowOps.stream().filter((o) -> Op.ACQUIRE.equals(o.f()) && o.succeeded()).count();
		figures.put("ops", windowOps.size());
		figures.put("opsPerSecond", windowOps.size() / seconds);
		figures.put("puts", kvOps.stream().filter((o) -> Op.PUT.equals(o.f())).count());
		figures.put("semaphoreCycles", acquires);
		long newTerms = histories.terms().stream().filter((t) -> t.startNanos() >= start && t.startNanos() < end)
			.count();
		figures.put("newTerms", newTerms);
		long maxHiccup = histories.hiccups()
			.stream()
			.filter((h) -> h.startNanos() >= start && h.startNanos() < end)
			.mapToLong((h) -> h.pauseNanos() / 1_000_000)
			.max()
			.orElse(0);
		figures.put("maxHiccupMillis", maxHiccup);
		return checks;
	}

	private static void reportTakeoverLatency(ScenarioResult result, String group, List<Op> ops,
			Map<String, Object> figures) {
		long limit = Checks.OP_DEADLINE.plusSeconds(1).toNanos();
		List<Long> latencies = ops.stream().map((o) -> o.returnNanos() - o.invokeNanos()).toList();
		long late = latencies.stream().filter((n) -> n > limit).count();
		long max = latencies.stream().mapToLong(Long::longValue).max().orElse(0);
		figures.put("opsAcrossTakeovers", ops.size());
		figures.put("lateAcrossTakeovers", late);
		figures.put("maxLatencyAcrossTakeoversMillis", max / 1_000_000);
		if (late > 0) {
			result.knownIssues.add(String.format("%s: %d of %d ops overlapping a take-over of the embedded database "
					+ "file took longer than C9's %d s (max %.1f s): a store call does not keep its deadline while "
					+ "another process takes the file over", group, late, ops.size(),
					Checks.OP_DEADLINE.plusSeconds(1).toSeconds(), max / 1e9));
		}
	}

	/** Saves a thread dump of a member's JVM (jcmd) into the report's log folder, for evidence. */
	void threadDump(Member member, String label) {
		try {
			Path file = this.cluster.logDir().resolve(member.name() + "." + member.incarnation() + "-" + label + "-"
					+ System.nanoTime() + ".threads.txt");
			Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
					Long.toString(member.pid()), "Thread.print").redirectErrorStream(true)
				.redirectOutput(file.toFile())
				.start();
			jcmd.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
		}
		catch (IOException ex) {
			// evidence only
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private String memberId(String process) {
		return this.cluster.slots().get(Integer.parseInt(process.substring(1, process.indexOf('.')))).id();
	}

	private boolean processAlive(String process) {
		// "m<slot>.<incarnation>"
		int dot = process.indexOf('.');
		int slot = Integer.parseInt(process.substring(1, dot));
		int incarnation = Integer.parseInt(process.substring(dot + 1));
		Member member = this.cluster.slots().get(slot);
		return member.incarnation() == incarnation && member.isAlive();
	}

	private void print(ScenarioResult result) {
		System.out.printf("[chaos] ---- %s %s: %s %s%n", result.id, result.title,
				result.passed() ? "PASS" : "FAIL", result.figures);
		result.problems.forEach((p) -> System.out.println("    problem: " + p));
		result.knownIssues.forEach((p) -> System.out.println("    known issue: " + p));
		if (result.report != null) {
			result.report.print(System.out);
		}
	}

	void sampleHygiene() {
		for (Member member : this.cluster.live()) {
			long[] sample = member.threadsAndFds();
			if (sample[0] < 0) {
				continue;
			}
			Map<String, Integer> names = member.threadNames();
			long elastic = names.entrySet().stream()
				.filter((e) -> ELASTIC_POOLS.stream().anyMatch((p) -> e.getKey().startsWith(p)))
				.mapToLong(Map.Entry::getValue).sum();
			long[] withElastic = { sample[0] - elastic, sample[1], sample[0] };
			this.hygieneBaseline.putIfAbsent(member.pid(), withElastic);
			this.hygieneLast.put(member.pid(), withElastic);
			this.namesBaseline.putIfAbsent(member.pid(), names);
			this.namesLast.put(member.pid(), names);
		}
	}

	/** Thread and fd growth between the first and last samples of every process sampled at least twice. */
	List<String> hygieneProblems(Map<String, Object> figures) {
		List<String> problems = new ArrayList<>();
		long maxThreadGrowth = 0;
		long maxFdGrowth = 0;
		for (Map.Entry<Long, long[]> last : this.hygieneLast.entrySet()) {
			long[] base = this.hygieneBaseline.get(last.getKey());
			if (base == last.getValue()) {
				continue;
			}
			long threads = last.getValue()[0] - base[0];
			long fds = last.getValue()[1] - base[1];
			maxThreadGrowth = Math.max(maxThreadGrowth, threads);
			maxFdGrowth = Math.max(maxFdGrowth, fds);
			if (threads > Math.max(5, base[0] / 10)) {
				Map<String, Integer> before = this.namesBaseline.get(last.getKey());
				Map<String, Integer> after = this.namesLast.get(last.getKey());
				Map<String, Integer> grown = new java.util.TreeMap<>();
				after.forEach((name, n) -> {
					int diff = n - before.getOrDefault(name, 0);
					if (diff != 0) {
						grown.put(name, diff);
					}
				});
				problems.add("pid " + last.getKey() + " threads (without elastic pools) " + base[0] + " -> "
						+ last.getValue()[0] + ", by name: " + grown);
			}
			if (fds > Math.max(5, base[1] / 10)) {
				problems.add("pid " + last.getKey() + " open files " + base[1] + " -> " + last.getValue()[1]);
			}
		}
		figures.put("maxThreadGrowth", maxThreadGrowth);
		figures.put("maxFdGrowth", maxFdGrowth);
		return problems;
	}

	/**
	 * Whether every leadership term of epochs {@code [from, to)} ended by its holder stepping down at its own deadline
	 * (a renewal the store did not commit in time: the emulator, one transaction at a time on 2 cores, has latency
	 * spikes of seconds) rather than by a takeover or a loss the scenario's fault could explain. Such a change is
	 * safe and expected of a lease, so it is reported as a known issue instead of failing a liveness expectation; the
	 * safety checkers judge it like any other change.
	 */
	private boolean slowStoreStepDowns(ScenarioResult result, long from, long to, String what) {
		List<dev.hedge.chaos.history.Term> ended = Histories.read(this.cluster)
			.terms()
			.stream()
			.filter((t) -> t.epoch() >= from && t.epoch() < to)
			.toList();
		boolean slowStore = !ended.isEmpty() && ended.stream().allMatch((t) -> "DEADLINE".equals(t.endReason()));
		if (slowStore) {
			result.knownIssues.add(what + ": the leader stepped down at its deadline because a renewal did not commit in"
					+ " time (store latency), not because of the scenario's fault");
		}
		return slowStore;
	}

	// ---- the scenarios ----

	void s0Baseline() {
		scenario("S0", "boot + baseline", (r) -> {
			r.figures.put("bootToLeaderMillis", this.bootToLeaderNanos / 1_000_000);
			if (this.bootToLeaderNanos > FAILOVER_BOUND.plusSeconds(30).toNanos()) {
				r.problems.add("no leader within the boot budget");
			}
			sleepSeconds(20 * this.scale);
		});
		ScenarioResult s0 = this.results.get(this.results.size() - 1);
		long currentEpoch = this.cluster.awaitLeader(Duration.ofSeconds(15)).status().path("epoch").asLong();
		if (((Number) s0.figures.get("newTerms")).longValue() != 0
				&& !slowStoreStepDowns(s0, 1, currentEpoch, "leader change without faults")) {
			s0.problems.add("unnecessary leader change without faults: " + s0.figures.get("newTerms") + " new terms");
		}
	}

	void s1LeaderKill() {
		scenario("S1", "leader SIGKILL", (r) -> {
			int kills = 6 * this.scale;
			for (int i = 0; i < kills; i++) {
				sleepSeconds(uniform(5, 9));
				killAndRestartLeader();
			}
			sleepSeconds(6);
		});
	}

	void s2LeaderPause() {
		scenario("S2", "leader SIGSTOP past the lease", (r) -> {
			int pauses = 4 * this.scale;
			for (int i = 0; i < pauses; i++) {
				sleepSeconds(uniform(3, 5));
				Member leader = this.cluster.awaitLeader(Duration.ofSeconds(15));
				double seconds = uniform(1.5, 3) * L.toMillis() / 1000.0;
				Fault fault = this.cluster.fault("pause", leader.id(), leader.name() + String.format(" %.1f s",
						seconds));
				leader.pause();
				sleepSeconds(seconds);
				leader.resume();
				this.cluster.healed(fault);
			}
			sleepSeconds(5);
		});
		ScenarioResult s2 = this.results.get(this.results.size() - 1);
		long rejected = s2.count(Checks.STALE_RENEWALS, "lateRejected");
		s2.figures.put("lateRenewalsRejected", rejected);
		if (rejected == 0) {
			// a resumed ex-leader's first renewal goes out late and must change nothing: proof the fenced path ran
			s2.problems.add("no late renewal was rejected: the fenced renewal path did not run");
		}
	}

	void s3DatabaseStall() {
		scenario("S3", "database stall (emulator SIGSTOP)", (r) -> {
			List<Long> recoveries = new ArrayList<>();
			for (int i = 0; i < 2 * this.scale; i++) {
				sleepSeconds(uniform(4, 6));
				Fault fault = this.cluster.fault("db-stall", "db", String.format("%.1f s", 1.5 * L.toMillis() / 1e3));
				this.cluster.pauseDatabase();
				sleepSeconds(1.5 * L.toMillis() / 1000.0);
				this.cluster.resumeDatabase();
				this.cluster.healed(fault);
				long resumed = System.nanoTime();
				this.cluster.awaitLeader(Duration.ofSeconds(20));
				recoveries.add((System.nanoTime() - resumed) / 1_000_000);
			}
			sleepSeconds(5);
			long max = recoveries.stream().mapToLong(Long::longValue).max().orElse(0);
			r.figures.put("leaderAfterResumeMaxMillis", max);
			if (max > FAILOVER_BOUND.plusSeconds(1).toMillis()) {
				r.problems.add("one leader only " + max + " ms after the database came back (budget "
						+ FAILOVER_BOUND.plusSeconds(1).toMillis() + " ms)");
			}
		});
	}

	void s4LeaderDbPath() {
		scenario("S4", "leader's database path degraded", (r) -> {
			String[] kinds = { "db-blackhole", "db-delay", "db-reset" };
			List<String> outcomes = new ArrayList<>();
			for (int i = 0; i < 3 * this.scale; i++) {
				String kind = kinds[i % 3];
				sleepSeconds(uniform(3, 5));
				Member leader = this.cluster.awaitLeader(Duration.ofSeconds(15));
				long epoch = leader.status().path("epoch").asLong();
				Fault fault = this.cluster.fault(kind, leader.id(), leader.name());
				switch (kind) {
					case "db-blackhole" -> leader.dbProxy.mode(FaultProxy.Mode.BLACKHOLE);
					case "db-delay" -> leader.dbProxy.delay(500 + this.random.nextInt(1000));
					default -> leader.dbProxy.mode(FaultProxy.Mode.RESET);
				}
				sleepSeconds(L.toMillis() / 1000.0);
				threadDump(leader, kind);
				sleepSeconds(L.toMillis() / 1000.0);
				leader.dbProxy.mode(FaultProxy.Mode.PASS);
				leader.dbProxy.delay(0);
				this.cluster.healed(fault);
				Member after = this.cluster.awaitLeader(Duration.ofSeconds(15));
				long newEpoch = after.status().path("epoch").asLong();
				outcomes.add(kind + ":" + ((newEpoch != epoch) ? "new leader " + after.name() : "kept"));
			}
			r.figures.put("outcomes", outcomes);
			sleepSeconds(3);
		});
	}

	void s5PeerPartition() {
		scenario("S5", "peer partition, database reachable", (r) -> {
			for (int i = 0; i < 2 * this.scale; i++) {
				sleepSeconds(uniform(3, 5));
				Member leader = this.cluster.awaitLeader(Duration.ofSeconds(15));
				long epoch = leader.status().path("epoch").asLong();
				Member target = leader;
				String kind = "isolate-leader";
				if (i % 2 == 1) {
					List<Member> followers = this.cluster.live().stream().filter((m) -> m != leader).toList();
					target = followers.get(this.random.nextInt(followers.size()));
					kind = "isolate-follower";
				}
				Fault fault = this.cluster.fault(kind, target.id(), target.name() + " (inbound peer traffic)");
				target.memberProxy.mode(FaultProxy.Mode.BLACKHOLE);
				sleepSeconds(2 * L.toMillis() / 1000.0);
				target.memberProxy.mode(FaultProxy.Mode.PASS);
				this.cluster.healed(fault);
				Member after = this.cluster.awaitLeader(Duration.ofSeconds(15));
				long newEpoch = after.status().path("epoch").asLong();
				if (newEpoch != epoch && !slowStoreStepDowns(r, epoch, newEpoch, "a pure peer partition (" + kind
						+ ") changed the epoch " + epoch + " -> " + newEpoch)) {
					r.problems.add("a pure peer partition (" + kind + ") changed the epoch " + epoch + " -> " + newEpoch);
				}
				long converge = this.cluster.awaitConverged(Duration.ofSeconds(15));
				r.figures.merge("maxRejoinMillis", converge / 1_000_000,
						(a, b) -> Math.max(((Number) a).longValue(), ((Number) b).longValue()));
			}
			sleepSeconds(3);
		});
	}

	void s6RollingRestart() {
		scenario("S6", "rolling restart (SIGTERM, leader last)", (r) -> {
			int leaderTerminations = 0;
			for (int round = 0; round < this.scale; round++) {
				// members not restarted yet this round, the one leading now last; should leadership move meanwhile
				// (a step-down on a slow store), whoever leads when the others are done goes last, so every round
				// ends with a graceful hand-over
				Set<Member> restarted = new HashSet<>();
				while (true) {
					sleepSeconds(2);
					Member leader = this.cluster.awaitLeader(Duration.ofSeconds(15));
					Member member = this.cluster.live()
						.stream()
						.filter((m) -> m != leader && !restarted.contains(m))
						.findFirst()
						.orElse(leader);
					Fault fault = this.cluster.fault("terminate", member.id(), member.name());
					member.terminate(Duration.ofSeconds(15));
					this.cluster.healed(fault);
					this.cluster.start(List.of(member), null);
					this.cluster.awaitConverged(Duration.ofSeconds(20));
					restarted.add(member);
					if (member == leader) {
						leaderTerminations++;
						break;
					}
				}
			}
			r.figures.put("leaderTerminations", leaderTerminations);
			sleepSeconds(3);
		});
	}

	void s7BadInput() {
		scenario("S7", "bad input on member ports", (r) -> {
			Member leader = this.cluster.awaitLeader(Duration.ofSeconds(15));
			Member follower = this.cluster.live().stream().filter((m) -> m != leader).findFirst().orElseThrow();
			new BadInput(this.cluster, this.random.nextLong(), 10_000 * this.scale).run(leader, follower, r);
		});
	}

	void s8Clock(boolean fakeTimeAvailable, String libfaketime) {
		scenario("S8", "clock offsets and rate skew", (r) -> {
			Member leader = this.cluster.awaitLeader(Duration.ofSeconds(15));
			List<Member> followers = this.cluster.live().stream().filter((m) -> m != leader).toList();
			String[] offsets = { "-60s", "+60s", "+5s" };
			Map<Member, Map<String, String>> env = new LinkedHashMap<>();
			for (int i = 0; i < Math.min(3, followers.size()); i++) {
				// FAKETIME_FORCE_MONOTONIC_FIX=0: with the fix on, libfaketime 0.9.10 makes the JVM's timed monitor
				// waits (Object.wait(ms)) return at once, so session pools and executors spin and time out
				env.put(followers.get(i), fakeTimeAvailable ? Map.of("LD_PRELOAD", libfaketime, "FAKETIME",
						offsets[i], "FAKETIME_DONT_FAKE_MONOTONIC", "1", "FAKETIME_NO_CACHE", "1",
						"FAKETIME_FORCE_MONOTONIC_FIX", "0") : Map.of());
			}
			Member skewed = followers.get(followers.size() - 1);
			r.figures.put("wallOffsets", fakeTimeAvailable ? "-60s,+60s,+5s (libfaketime)"
					: "skipped (libfaketime not installed)");
			r.figures.put("rateSkewed", skewed.name() + " at 0.99");
			for (Member member : followers) {
				Fault fault = this.cluster.fault("terminate", member.id(), member.name() + " (restart with clock)");
				member.terminate(Duration.ofSeconds(15));
				this.cluster.healed(fault);
			}
			this.cluster.start(followers, (m) -> env.getOrDefault(m, Map.of()), (m) -> (m == skewed) ? 0.99 : 1.0,
					null);
			this.cluster.awaitConverged(Duration.ofSeconds(20));
			for (int i = 0; i < 3 * this.scale; i++) {
				sleepSeconds(uniform(4, 6));
				Member current = this.cluster.awaitLeader(Duration.ofSeconds(15));
				Fault fault = this.cluster.fault("kill", current.id(), current.name() + " (under clock skew)");
				current.kill();
				sleepSeconds(2);
				this.cluster.start(List.of(current), (m) -> env.getOrDefault(m, Map.of()),
						(m) -> (m == skewed) ? 0.99 : 1.0, null);
				this.cluster.healed(fault);
			}
			sleepSeconds(4);
		});
	}

	void s9ScaleBurst(List<Member> spare) {
		scenario("S9", "scale burst 2 -> 7 -> 3", (r) -> {
			Member leader = this.cluster.awaitLeader(Duration.ofSeconds(15));
			List<Member> live = new ArrayList<>(this.cluster.live());
			long epoch = leader.status().path("epoch").asLong();
			List<Long> converge = new ArrayList<>();
			// down to 2: stop followers only, so the leader should stay
			List<Member> stop = live.stream().filter((m) -> m != leader).limit(live.size() - 2).toList();
			for (Member member : stop) {
				Fault fault = this.cluster.fault("terminate", member.id(), member.name() + " (scale down)");
				member.terminate(Duration.ofSeconds(15));
				this.cluster.healed(fault);
			}
			converge.add(this.cluster.awaitConverged(Duration.ofSeconds(15)));
			sleepSeconds(5 * this.scale);
			List<Member> up = new ArrayList<>(stop);
			up.addAll(spare);
			// staggered by 1 s within the step: five JVMs booting at once take both cores for seconds
			for (Member member : up) {
				member.start(Map.of(), 1.0, null);
				sleepSeconds(1);
			}
			this.cluster.start(List.of(), null);
			for (Member member : up) {
				member.awaitReady(Duration.ofSeconds(60));
			}
			this.cluster.startWorkloadOnLive();
			converge.add(this.cluster.awaitConverged(Duration.ofSeconds(15)));
			sleepSeconds(5 * this.scale);
			List<Member> down = this.cluster.live().stream().filter((m) -> m != leader).limit(4).toList();
			for (Member member : down) {
				Fault fault = this.cluster.fault("terminate", member.id(), member.name() + " (scale down)");
				member.terminate(Duration.ofSeconds(15));
				this.cluster.healed(fault);
			}
			converge.add(this.cluster.awaitConverged(Duration.ofSeconds(15)));
			sleepSeconds(5 * this.scale);
			r.figures.put("convergeMillis", converge.stream().map((n) -> n / 1_000_000).toList());
			if (converge.stream().anyMatch((n) -> n < 0)) {
				r.problems.add("membership did not converge after a scale step");
			}
			long after = this.cluster.awaitLeader(Duration.ofSeconds(15)).status().path("epoch").asLong();
			if (after != epoch && !slowStoreStepDowns(r, epoch, after,
					"leader changed during the scale burst: epoch " + epoch + " -> " + after)) {
				r.problems.add("leader changed although its member was never stopped: epoch " + epoch + " -> "
						+ after);
			}
		});
	}

	/** The members that S9 stopped are restarted and the spare ones stopped, so later code sees the core again. */
	void restoreCore(List<Member> spare) {
		for (Member member : spare) {
			if (member.isAlive()) {
				member.terminate(Duration.ofSeconds(15));
			}
		}
		restartDead();
	}

	// ---- S10: the embedded store under two groups and several time zones ----

	/**
	 * S10's groups and their members' JVM time zones: both groups mix zones, with half-hour offsets (Asia/Kolkata
	 * +5:30, America/St_Johns -3:30 or -2:30) and a 45-minute one (Asia/Kathmandu +5:45) next to whole hours.
	 */
	static final Map<String, List<String>> S10_ZONES = s10Zones();

	private static Map<String, List<String>> s10Zones() {
		Map<String, List<String>> zones = new LinkedHashMap<>();
		zones.put("chaos-a", List.of("UTC", "Asia/Kolkata", "America/New_York"));
		zones.put("chaos-b", List.of("Europe/Berlin", "America/St_Johns", "Asia/Kathmandu"));
		return zones;
	}

	/**
	 * S10 (on a run made by {@link #embedded}): two groups on one embedded directory, their members in several time
	 * zones, the same semaphore name ({@code s1}, limit 2) in both, under a leader SIGKILL and restart per group, the
	 * SIGKILL of the process serving the database file (twice: another takes it over each time), a SIGTERM of each
	 * group's leader (graceful hand-over) and a SIGSTOP past the lease of a leader that does not serve the file (one
	 * per group when possible). Every checker runs per group; C6c and the pooled C1 control across the groups.
	 */
	void s10EmbeddedGroups() {
		List<String> groups = this.cluster.groups();
		scenario("S10", "two groups on one embedded directory, members in several time zones", (r) -> {
			Map<String, Object> zones = new LinkedHashMap<>();
			groups.forEach((g) -> zones.put(g, this.cluster.members(g).stream()
				.map((m) -> m.name() + " " + m.timeZone()).toList()));
			r.figures.put("zones", zones);
			this.cluster.store().snapshotsUnavailable().ifPresent((why) -> r.figures.put("permitSnapshots", why));
			List<Long> takeovers = new ArrayList<>();
			sleepSeconds(uniform(3, 5));
			for (String group : groups) {
				Member leader = this.cluster.awaitLeader(group, Duration.ofSeconds(15));
				stop(r, leader, "kill", "leader of " + group, takeovers);
				sleepSeconds(3);
				this.cluster.start(List.of(leader), null);
				sleepSeconds(uniform(3, 5));
			}
			for (int i = 0; i < 2 * this.scale; i++) {
				Member server = awaitStoreServer(Duration.ofSeconds(15), null)
					.orElseThrow(() -> new IllegalStateException("no live member serves the embedded database"));
				boolean leads = server.status().path("leader").asBoolean();
				stop(r, server, "kill", leads ? "leader of " + server.group() : "follower of " + server.group(),
						takeovers);
				this.cluster.start(List.of(server), null);
				sleepSeconds(uniform(3, 5));
			}
			for (String group : groups) {
				Member leader = this.cluster.awaitLeader(group, Duration.ofSeconds(15));
				stop(r, leader, "terminate", "leader of " + group, takeovers);
				this.cluster.start(List.of(leader), null);
				this.cluster.awaitConverged(Duration.ofSeconds(20));
				sleepSeconds(uniform(2, 4));
			}
			// a leader that serves the database file would stall every member while paused: pause another group's
			for (int i = 0; i < groups.size(); i++) {
				Optional<Member> server = awaitStoreServer(Duration.ofSeconds(10), null);
				List<String> order = new ArrayList<>(groups.subList(i, groups.size()));
				order.addAll(groups.subList(0, i));
				Member leader = null;
				for (String group : order) {
					Member candidate = this.cluster.awaitLeader(group, Duration.ofSeconds(15));
					if (server.isEmpty() || candidate != server.get()) {
						leader = candidate;
						break;
					}
				}
				if (leader == null) {
					System.out.println("[chaos] S10: every leader serves the database file; no pause");
					continue;
				}
				double seconds = uniform(1.5, 2.5) * L.toMillis() / 1000.0;
				Fault fault = this.cluster.fault("pause", leader.id(), String.format("%s (leader of %s) %.1f s",
						leader.name(), leader.group(), seconds));
				leader.pause();
				sleepSeconds(seconds);
				leader.resume();
				this.cluster.healed(fault);
				sleepSeconds(uniform(3, 4));
			}
			r.figures.put("storeServerTakeoverMillis", takeovers);
			sleepSeconds(3);
		});
		ScenarioResult s10 = this.results.get(this.results.size() - 1);
		summarizeGroups(s10);
	}

	/**
	 * Kills ({@code kill}) or terminates ({@code terminate}) a member of an embedded cluster. When it served the
	 * database file, a {@value #DB_TAKEOVER} fault on {@code db} lasts from the signal until another member serves it,
	 * whose duration is added to {@code takeovers}.
	 */
	private void stop(ScenarioResult result, Member member, String kind, String role, List<Long> takeovers) {
		boolean served = serves(member);
		Fault fault = this.cluster.fault(kind, member.id(), member.name() + " (" + role
				+ (served ? ", serves the database file" : "") + ")");
		Fault takeover = served ? this.cluster.fault(DB_TAKEOVER, "db", "from " + member.name()) : null;
		long stopped = System.nanoTime();
		if ("kill".equals(kind)) {
			member.kill();
		}
		else {
			member.terminate(Duration.ofSeconds(15));
		}
		this.cluster.healed(fault);
		if (takeover == null) {
			return;
		}
		Optional<Member> next = awaitStoreServer(Duration.ofSeconds(20), member);
		this.cluster.healed(takeover);
		if (next.isEmpty()) {
			result.problems.add("no member took the embedded database over within 20 s after " + kind + " of "
					+ member.name());
			return;
		}
		takeovers.add((System.nanoTime() - stopped) / 1_000_000);
		System.out.printf("[chaos] %7.1f s  %s serves the database file now%n", this.cluster.elapsed(),
				next.get().name());
	}

	private static boolean serves(Member member) {
		try {
			return member.call("GET", "/store", Duration.ofSeconds(2)).path("servesDatabase").asBoolean();
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	/**
	 * The member serving the embedded database file, as the members say ({@code /store}), waiting for one to.
	 * @param not a member that no longer counts (just killed), or {@code null}
	 */
	private Optional<Member> awaitStoreServer(Duration timeout, Member not) {
		long end = System.nanoTime() + timeout.toNanos();
		do {
			for (Member member : this.cluster.live()) {
				if (member == not) {
					continue;
				}
				if (serves(member)) {
					return Optional.of(member);
				}
			}
			Cluster.sleep(100);
		}
		while (System.nanoTime() - end < 0);
		return Optional.empty();
	}

	/**
	 * Adds each group's headline figures to its entry in the figure {@code groups} ({@link #headline}), with the
	 * embedded store's measured-not-judged liveness figures as known issues, and the figures across the groups.
	 */
	private void summarizeGroups(ScenarioResult result) {
		@SuppressWarnings("unchecked")
		Map<String, Map<String, Object>> groups = (Map<String, Map<String, Object>>) result.figures.get("groups");
		if (groups == null) {
			return;
		}
		groups.forEach((group, figures) -> {
			headline(result, group, " [" + group + "]", figures);
			long reclaim = ((Number) figures.get("permitReclaimMaxMillis")).longValue();
			if (reclaim > Checks.RECLAIM_BUDGET.toMillis()) {
				result.knownIssues.add(String.format("%s: a killed holder's permit was reclaimed after %.1f s, over "
						+ "the %d s budget (judged against %d s on the embedded store)", group, reclaim / 1e3,
						Checks.RECLAIM_BUDGET.toSeconds(), Checks.EMBEDDED_RECLAIM_BUDGET.toSeconds()));
			}
			long failover = ((Number) figures.get("failoverMaxMillis")).longValue();
			if (failover > FAILOVER_BOUND.toMillis()) {
				result.knownIssues.add(String.format("%s: crash failover up to %.2f s, over L+G+P = %.1f s (measured, "
						+ "not judged, on the embedded store)", group, failover / 1e3,
						FAILOVER_BOUND.toMillis() / 1e3));
			}
			long handover = ((Number) figures.get("handoverMaxMillis")).longValue();
			if (handover > HANDOVER_BUDGET.toMillis()) {
				result.knownIssues.add(String.format("%s: graceful hand-over up to %.2f s, over the %.1f s budget "
						+ "(measured, not judged, on the embedded store)", group, handover / 1e3,
						HANDOVER_BUDGET.toMillis() / 1e3));
			}
		});
		result.figures.put("pooledOverlaps", result.count(Checks.POOLED_CONTROL, "pooledOverlaps"));
		result.figures.put("pooledMaxHolders", result.count(Checks.POOLED_CONTROL, "pooledMaxHolders"));
		result.figures.put("crossGroupPermitEffects", result.count(Checks.ISOLATION, "crossGroup"));
		System.out.println("[chaos] ---- S10 per group: " + groups);
	}

	/**
	 * A group's headline figures from a scenario's checks: generations, overlaps, audited writes and fence
	 * violations, most semaphore holders at once and holders over the limit, acknowledged puts lost and duplicated,
	 * the permits held by killed members and the longest reclaim of one, and measured failovers and hand-overs.
	 * @param tag the suffix of the group's check names ({@code " [<group>]"} in a cluster of several groups, empty in
	 * a cluster of one)
	 * @param figures where they go
	 */
	private void headline(ScenarioResult result, String group, String tag, Map<String, Object> figures) {
		figures.put("generations", result.count(LeadershipOverlapChecker.NAME + tag, "generations"));
		figures.put("overlaps", result.count(LeadershipOverlapChecker.NAME + tag, "overlaps"));
		figures.put("auditedWrites", result.count(FenceAuditChecker.NAME + tag, "audited"));
		figures.put("fenceViolations", result.count(FenceAuditChecker.NAME + tag, "fenceViolations")
				+ result.count(FenceAuditChecker.NAME + tag, "takeoverOrderViolations"));
		figures.put("staleRenewals", result.count(Checks.STALE_RENEWALS + tag, "stale"));
		figures.put("maxHolders", result.count(SemaphoreChecker.NAME + tag, "maxConcurrency"));
		figures.put("holdersOverLimit", result.count(SemaphoreChecker.NAME + tag, "overLimit")
				+ result.count(SemaphoreChecker.NAME + tag, "overGranted"));
		figures.put("putsAcknowledged", result.count(SetFullChecker.NAME + tag, "acknowledged"));
		figures.put("putsLost", result.count(SetFullChecker.NAME + tag, "lost"));
		figures.put("putsDuplicated", result.count(SetFullChecker.NAME + tag, "duplicates"));
		figures.put("killedHolds", result.count(Checks.RECLAIM + tag, "killedHolds"));
		figures.put("permitReclaimMaxMillis", result.count(Checks.RECLAIM + tag, "maxReclaimMillis"));
		Set<String> ids = new HashSet<>();
		this.cluster.members(group).forEach((m) -> ids.add(m.id()));
		List<Fault> faults = this.cluster.faults().stream().filter((f) -> ids.contains(f.target())).toList();
		Liveness.Figures liveness = new Liveness().measure(Histories.read(this.cluster, group).terms(), faults);
		figures.put("failovers", liveness.failovers().size());
		figures.put("failoverMaxMillis", liveness.failoverMaxNanos() / 1_000_000);
		figures.put("handovers", liveness.handovers().size());
		figures.put("handoverMaxMillis", liveness.handoverMaxNanos() / 1_000_000);
	}

	// ---- S11: a chaos subset on PostgreSQL ----

	/** S11's cluster: one group of three members on a private PostgreSQL server. */
	static final int S11_MEMBERS = 3;

	/**
	 * How soon after a database stall ends a single leader must lead again: as S3 on the emulator, L+G+P and a second.
	 * A stall longer than the lease makes the leader step down at its deadline; once the server answers again, the
	 * next poll may take over the lapsed lease.
	 */
	static final Duration STALL_RECOVERY_BUDGET = FAILOVER_BOUND.plusSeconds(1);

	/**
	 * S11 (on a run made by {@link #postgres}): the usual workload (semaphore {@code s1}, limit 2) on PostgreSQL under
	 * leader SIGKILLs and restarts (2 per scale), a leader SIGSTOP for 2-3 L (1 per scale), database stalls (per
	 * scale: every server process SIGSTOPped for 1.2-1.8 L, then every member's DB link blackholed as long) and the
	 * leader's DB link blackholed for 2 L (1 per scale). Every checker runs, liveness judged as on Spanner (a leader
	 * paused inside a fenced write must not hold the lease row past its call: PostgreSQL ends its transaction by
	 * {@code idle_in_transaction_session_timeout}, so the failover is not as long as the pause); after a stall the time to a single leader again is measured, and for the server
	 * stall judged against {@link #STALL_RECOVERY_BUDGET}. Afterwards a member's own final read ({@code /storeRead},
	 * through its link) must equal the harness's (direct to the server).
	 */
	void s11PostgresSubset() {
		PostgresClusterStore store = this.cluster.postgres();
		scenario("S11", "PostgreSQL subset", (r) -> {
			r.figures.put("server", "PostgreSQL " + store.version());
			store.snapshotsUnavailable().ifPresent((why) -> r.figures.put("permitSnapshots", why));
			List<Long> stallRecoveries = new ArrayList<>();
			List<Long> linkRecoveries = new ArrayList<>();
			List<String> outcomes = new ArrayList<>();
			sleepSeconds(uniform(3, 5));
			for (int i = 0; i < 2 * this.scale; i++) {
				killAndRestartLeader();
				sleepSeconds(uniform(4, 6));
			}
			for (int i = 0; i < this.scale; i++) {
				Member leader = this.cluster.awaitLeader(Duration.ofSeconds(15));
				// 2-3 L: the SIGCONT comes well after L+G+P, so a failover held up by the paused leader's row lock
				// (ending just after the SIGCONT) fails the liveness check
				double seconds = uniform(2.0, 3.0) * L.toMillis() / 1000.0;
				Fault fault = this.cluster.fault("pause", leader.id(), String.format("%s %.1f s", leader.name(),
						seconds));
				leader.pause();
				sleepSeconds(seconds);
				leader.resume();
				this.cluster.healed(fault);
				sleepSeconds(uniform(3, 5));
			}
			for (int i = 0; i < this.scale; i++) {
				this.cluster.awaitLeader(Duration.ofSeconds(15));
				double seconds = uniform(1.2, 1.8) * L.toMillis() / 1000.0;
				Fault stall = this.cluster.fault("db-stall", "db", String.format("PostgreSQL SIGSTOP %.1f s", seconds));
				this.cluster.pauseDatabase();
				sleepSeconds(seconds);
				this.cluster.resumeDatabase();
				this.cluster.healed(stall);
				stallRecoveries.add(leaderAgainMillis());
				sleepSeconds(uniform(4, 6));
				this.cluster.awaitLeader(Duration.ofSeconds(15));
				seconds = uniform(1.2, 1.8) * L.toMillis() / 1000.0;
				Fault links = this.cluster.fault("db-links-blackhole", "db", String.format(
						"every member's DB link blackholed %.1f s", seconds));
				dbLinks(FaultProxy.Mode.BLACKHOLE);
				sleepSeconds(seconds);
				dbLinks(FaultProxy.Mode.PASS);
				this.cluster.healed(links);
				linkRecoveries.add(leaderAgainMillis());
				sleepSeconds(uniform(4, 6));
			}
			for (int i = 0; i < this.scale; i++) {
				Member leader = this.cluster.awaitLeader(Duration.ofSeconds(15));
				long epoch = leader.status().path("epoch").asLong();
				Fault fault = this.cluster.fault("db-blackhole", leader.id(), leader.name());
				leader.dbProxy.mode(FaultProxy.Mode.BLACKHOLE);
				sleepSeconds(2 * L.toMillis() / 1000.0);
				leader.dbProxy.mode(FaultProxy.Mode.PASS);
				this.cluster.healed(fault);
				Member after = this.cluster.awaitLeader(Duration.ofSeconds(15));
				outcomes.add((after.status().path("epoch").asLong() != epoch) ? "new leader " + after.name()
						: "kept");
				sleepSeconds(uniform(3, 5));
			}
			r.figures.put("stallRecoveryMillis", stallRecoveries);
			r.figures.put("linksRecoveryMillis", linkRecoveries);
			r.figures.put("leaderLinkOutcomes", outcomes);
			long max = stallRecoveries.stream().mapToLong(Long::longValue).max().orElse(0);
			if (max > STALL_RECOVERY_BUDGET.toMillis()) {
				r.problems.add("a single leader only " + max + " ms after the server came back (budget "
						+ STALL_RECOVERY_BUDGET.toMillis() + " ms)");
			}
			sleepSeconds(3);
		});
		ScenarioResult s11 = this.results.get(this.results.size() - 1);
		headline(s11, this.cluster.group(), "", s11.figures);
		compareMemberRead(s11, store);
		System.out.println("[chaos] ---- S11 figures: " + s11.figures);
	}

	/** Every member's DB-link proxy to a mode. */
	private void dbLinks(FaultProxy.Mode mode) {
		for (Member member : this.cluster.slots()) {
			member.dbProxy.mode(mode);
		}
	}

	/** How long from now until a single member leads (at most 20 s; over that, the scenario fails). */
	private long leaderAgainMillis() {
		long healed = System.nanoTime();
		this.cluster.awaitLeader(Duration.ofSeconds(20));
		return (System.nanoTime() - healed) / 1_000_000;
	}

	/**
	 * The final read of S11's keys as a member makes it ({@code /storeRead}, on its own pool through its DB link)
	 * must equal the harness's (direct to the server): a member's reads of the store see what was committed.
	 */
	private void compareMemberRead(ScenarioResult result, PostgresClusterStore store) {
		String prefix = this.cluster.keyPrefix("s11-", this.cluster.group());
		try {
			Map<String, List<String>> direct = store.finalRead(this.cluster.live(), prefix, 50);
			Map<String, List<String>> member = ClusterStore.readThroughMember(this.cluster.live(), prefix, 50);
			result.figures.put("memberReadAgrees", member.equals(direct));
			if (!member.equals(direct)) {
				result.problems.add("a member's final read (/storeRead) differs from the harness's direct read");
			}
		}
		catch (RuntimeException ex) {
			result.problems.add("comparing a member's final read with the harness's failed: " + ex);
		}
	}

	// ---- S12: replicated likes ----

	/** S12's cluster: one group of five members on an embedded directory, their replicated data durable. */
	static final int S12_MEMBERS = 5;

	/**
	 * A run for S12: five members on an embedded directory (no emulator needed), a fault proxy on every ordered pair of
	 * members' replicator links, replicated data durable.
	 */
	static ChaosRun likes(long seed, Path runDir, int scale) throws IOException {
		Cluster cluster = Cluster.embedded(seed, runDir,
				Map.of(Cluster.DEFAULT_GROUP, java.util.Collections.nCopies(S12_MEMBERS, (String) null)));
		try {
			cluster.replicaLinks(true);
		}
		catch (RuntimeException ex) {
			cluster.close();
			throw ex;
		}
		return new ChaosRun(seed, cluster, S12_MEMBERS, scale, false);
	}

	/**
	 * S12 (on a run made by {@link #likes}): the likes service on replicated data, in three phases (see
	 * {@link LikesScenario}): a 2|3 partition of the replicators healed (every member equal within 2.5 s), likes with
	 * ~30 % client retries under two member SIGKILLs (0 over- and 0 under-counts), and the whole group SIGKILLed with
	 * likes in flight (0 acknowledged MAJORITY likes lost). Not on the kv workload: its checks are S12's own.
	 */
	void s12ReplicatedLikes() {
		String id = "S12";
		String title = "replicated likes (2|3 partition, kills with client retries, durable group SIGKILL)";
		System.out.printf("[chaos] %7.1f s  ==== %s %s%n", this.cluster.elapsed(), id, title);
		long start = System.nanoTime();
		ScenarioResult result = new ScenarioResult(id, title, 0);
		result.startNanos = start;
		LikesScenario likes = new LikesScenario(this, result);
		runAndSettle(result, (r) -> {
			likes.partition();
			likes.kills();
			likes.groupKill();
		});
		long end = System.nanoTime();
		result.endNanos = end;
		checkExits(result);
		result.report = Report.of(likes.checks());
		try {
			result.report.writeJson(this.cluster.runDir().resolve("report-" + id + ".json"));
		}
		catch (IOException ex) {
			// the printed summary still has it
		}
		result.figures.put("seconds", (end - start) / 1_000_000_000L);
		this.results.add(result);
		print(result);
	}

	// ---- totals ----

	Map<String, Object> totals(Map<String, Object> controls) {
		Histories histories = Histories.read(this.cluster);
		Map<String, Object> totals = new LinkedHashMap<>();
		Report safety = Report.run(Checks.safety(histories, this.cluster.snapshots()));
		List<Fault> faults = this.cluster.faults();
		Liveness.Figures liveness = new Liveness().measure(histories.terms(), faults);
		long generations = histories.terms().stream().mapToLong(Term::epoch).distinct().count();
		totals.put("generations", generations);
		totals.put("overlaps", count(safety, "C1 leadership overlap", "overlaps"));
		totals.put("epochOrderViolations", count(safety, "C1 leadership overlap", "epochOrderViolations"));
		totals.put("actionsOutsideBelief", count(safety, "C2 action in belief", "outside"));
		totals.put("epochAuditViolations", count(safety, "C3 fence audit", "fenceViolations")
				+ count(safety, "C3 fence audit", "takeoverOrderViolations"));
		totals.put("auditedEffects", count(safety, "C3 fence audit", "audited"));
		totals.put("staleRenewals", count(safety, Checks.STALE_RENEWALS, "stale"));
		totals.put("lateRenewalsRejected", count(safety, Checks.STALE_RENEWALS, "lateRejected"));
		long acked = sum("C4 set-full", "acknowledged");
		totals.put("putsAcknowledged", acked);
		totals.put("putsTotal", this.results.stream().mapToLong((r) -> ((Number) r.figures.getOrDefault("puts", 0))
			.longValue()).sum());
		totals.put("putsLost", sum("C4 set-full", "lost"));
		totals.put("putsDuplicated", sum("C4 set-full", "duplicates"));
		totals.put("putsPhantom", sum("C4 set-full", "phantoms"));
		totals.put("linearizabilityViolations", this.results.stream()
			.filter((r) -> r.result("C5 linearizability") != null && !r.result("C5 linearizability").ok())
			.count());
		// leader faults: kills and pauses of the leader (failovers), SIGTERMs of the leader (hand-overs), faults on
		// the leader's database path (S4) and database stalls (S3), which strike the leader like everyone
		totals.put("leaderFaults", liveness.failovers().size() + liveness.handovers().size()
				+ faults.stream().filter((f) -> f.kind().startsWith("db-")).count());
		totals.put("faultsInjected", faults.stream().filter((f) -> f.endNanos() != Long.MAX_VALUE).count());
		totals.put("semaphoreCycles", this.results.stream()
			.mapToLong((r) -> ((Number) r.figures.getOrDefault("semaphoreCycles", 0)).longValue()).sum());
		totals.put("semaphoreOverLimit", count(safety, "C6 semaphore", "overLimit")
				+ count(safety, "C6 semaphore", "overGranted"));
		totals.put("semaphoreMaxConcurrency", count(safety, "C6 semaphore", "maxConcurrency"));
		totals.put("failovers", liveness.failovers().size());
		totals.put("failoverP50Millis", liveness.failoverP50Nanos() / 1_000_000);
		totals.put("failoverMaxMillis", liveness.failoverMaxNanos() / 1_000_000);
		totals.put("failoverBoundMillis", FAILOVER_BOUND.toMillis());
		totals.put("handovers", liveness.handovers().size());
		totals.put("handoverMaxMillis", liveness.handoverMaxNanos() / 1_000_000);
		totals.put("handoverP50Millis", liveness.handoverP50Nanos() / 1_000_000);
		totals.put("permitReclaimMaxMillis", this.results.stream()
			.mapToLong((r) -> r.count(Checks.RECLAIM, "maxReclaimMillis")).max().orElse(0));
		totals.put("permitReclaimViolations", this.results.stream()
			.filter((r) -> r.result(Checks.RECLAIM) != null && !r.result(Checks.RECLAIM).ok()).count());
		totals.put("unexpectedMemberExits", this.unexpectedExits);
		totals.put("hungOps", sum("C9 hung ops", "hung") + sum("C9 hung ops", "late"));
		totals.put("maxHiccupMillis", histories.hiccups().stream().mapToLong((h) -> h.pauseNanos() / 1_000_000)
			.max().orElse(0));
		totals.putAll(controls);
		return totals;
	}

	private long sum(String check, String figure) {
		return this.results.stream().mapToLong((r) -> r.count(check, figure)).sum();
	}

	private static long count(Report report, String check, String figure) {
		return report.results().stream().filter((r) -> r.name().equals(check)).mapToLong((r) -> r.count(figure))
			.sum();
	}

	static String libfaketime() {
		for (String candidate : new String[] { "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
				"/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1", "/usr/lib/faketime/libfaketime.so.1" }) {
			if (Files.exists(Path.of(candidate))) {
				return candidate;
			}
		}
		return null;
	}

	JsonNode status(Member member) {
		return member.status();
	}

	@Override
	public void close() {
		this.cluster.close();
	}

}
