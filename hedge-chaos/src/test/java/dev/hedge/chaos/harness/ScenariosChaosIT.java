package dev.hedge.chaos.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.hedge.chaos.history.Op;
import dev.hedge.testsupport.Ci;
import dev.hedge.testsupport.PostgresServer;

/**
 * The chaos suite (reliability-plan.md §4.6): 5 member JVMs (7 in long mode) on one private Spanner emulator, the
 * seeded workload, scenarios S0-S7 plus one of S8/S9 chosen by the seed (both in long mode), then S10 on a cluster of
 * its own (two groups of three members on one embedded directory, their JVMs in six time zones; no emulator needed
 * when it runs alone), then S11 on another (three members on a private PostgreSQL server: a chaos subset), then S12
 * on another (five members serving the likes service on durable replicated data, embedded store), every
 * checker after every scenario (per group in S10), and one summary block with the run's reliability figures and the
 * negative controls' verdicts.
 *
 * <p>Run: {@code ./mvnw -B verify -Pchaos -pl hedge-chaos -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false}
 * (add {@code -Dhedge.chaos.seed=N} to replay, {@code -Dhedge.chaos.long=true} for the long mode). Reports: histories,
 * nemesis log, member logs and checker output in {@code target/chaos-report/<seed>/}, kept on failure (or always with
 * {@code HEDGE_KEEP_REPORTS=1}); {@code target/chaos-report/summary.json} always.
 */
@Tag("chaos")
class ScenariosChaosIT {

	/**
	 * The scenarios on the Spanner cluster; S10 runs on a cluster of its own, on the embedded store, S11 on another,
	 * on PostgreSQL, and S12 on a third, on the embedded store.
	 */
	private static final List<String> SPANNER_SCENARIOS = List.of("S0", "S1", "S2", "S3", "S4", "S5", "S6", "S7",
			"S8", "S9");

	@Test
	void scenarios() throws Exception {
		ChaosConfig config = ChaosConfig.fromSystemProperties();
		boolean onSpanner = SPANNER_SCENARIOS.stream().anyMatch(config::runs);
		if (onSpanner) {
			ChaosConfig.requireEmulator(getClass().getSimpleName());
		}
		int size = config.longMode ? 7 : 5;
		int scale = config.longMode ? 5 : 1;
		boolean s8 = config.longMode || config.seed % 2 == 0;
		boolean s9 = config.longMode || config.seed % 2 == 1;
		Path runDir = config.reportRoot.resolve(Long.toString(config.seed));
		ChaosConfig.deleteTree(runDir);
		Map<String, Object> totals = new LinkedHashMap<>();
		boolean s11 = config.runs("S11") && postgresAvailable(config);
		if (config.runs("S11") && !s11) {
			totals.put("s11", "SKIPPED: " + S11_NEEDS);
		}
		System.out.printf("[chaos] seed %d (replay with -Dhedge.chaos.seed=%d), %s mode, %s%n", config.seed,
				config.seed, config.longMode ? "long" : "CI", clusters(onSpanner, size, config));
		long started = System.nanoTime();
		List<String> problems = new ArrayList<>();
		List<ScenarioResult> results = new ArrayList<>();
		ChaosRun run = null;
		if (onSpanner) {
			run = new ChaosRun(config.seed, runDir, size, 2, scale);
			try {
				run.boot(null);
				if (config.runs("S0")) {
					run.s0Baseline();
				}
				if (config.runs("S1")) {
					run.s1LeaderKill();
				}
				if (config.runs("S2")) {
					run.s2LeaderPause();
				}
				if (config.runs("S3")) {
					run.s3DatabaseStall();
				}
				if (config.runs("S4")) {
					run.s4LeaderDbPath();
				}
				if (config.runs("S5")) {
					run.s5PeerPartition();
				}
				if (config.runs("S6")) {
					run.s6RollingRestart();
				}
				if (config.runs("S7")) {
					run.s7BadInput();
					latencyDuringAttack(run);
				}
				if (s8 && config.runs("S8")) {
					run.s8Clock(ChaosRun.libfaketime() != null, ChaosRun.libfaketime());
				}
				if (s9 && config.runs("S9")) {
					List<Member> spare = run.cluster.slots().subList(size, size + 2);
					run.s9ScaleBurst(spare);
					run.restoreCore(spare);
				}
				run.sampleHygiene();
				totals.putAll(run.totals(controls(config)));
				problems.addAll(run.hygieneProblems(totals));
				if (config.runs("S6") && ((Number) totals.get("handovers")).longValue() == 0) {
					// a planned fault that did not happen makes the run invalid (plan §4.4's validity gate)
					problems.add("S6: no graceful hand-over was measured (no SIGTERM reached a leading member)");
				}
			}
			finally {
				run.close();
			}
			results.addAll(run.results);
		}
		if (config.runs("S10")) {
			// after the Spanner cluster is gone: its six JVMs get the machine to themselves
			results.add(s10(config, runDir.resolve("S10"), scale));
		}
		if (s11) {
			results.add(s11(config, runDir.resolve("S11"), scale));
		}
		if (config.runs("S12")) {
			results.add(s12(config, runDir.resolve("S12"), scale));
		}
		for (ScenarioResult result : results) {
			if (!result.passed()) {
				problems.add(result.id + " failed: " + result.problems + " "
						+ ((result.report != null) ? failedChecks(result) : ""));
			}
		}
		totals.put("seconds", (System.nanoTime() - started) / 1_000_000_000L);
		List<String> shortfalls = new ArrayList<>();
		if (config.only.isEmpty()) {
			minimum(shortfalls, totals, "generations", config.longMode ? 150 : 12);
			minimum(shortfalls, totals, "putsTotal", 6000);
			minimum(shortfalls, totals, "leaderFaults", 10);
			minimum(shortfalls, totals, "semaphoreCycles", 800);
			if (ChaosConfig.strictSamples()) {
				problems.addAll(shortfalls);
				shortfalls.clear();
			}
			if (!Boolean.TRUE.equals(totals.get("negativeControlsAllFired"))) {
				problems.add("negative controls: not every control fired (or NegativeControlsChaosIT did not run)");
			}
		}
		for (String figure : new String[] { "overlaps", "epochAuditViolations", "staleRenewals", "putsLost",
				"putsDuplicated", "putsPhantom", "semaphoreOverLimit", "unexpectedMemberExits", "hungOps",
				"actionsOutsideBelief", "linearizabilityViolations", "permitReclaimViolations" }) {
			if (((Number) totals.getOrDefault(figure, 0)).longValue() != 0) {
				problems.add(figure + " = " + totals.get(figure));
			}
		}
		totals.put("sampleShortfalls", shortfalls);
		boolean passed = problems.isEmpty();
		printSummary(config, onSpanner, results, totals, problems, passed, size);
		writeSummary(config, results, totals, problems, passed);
		if (passed && !ChaosConfig.keepReports()) {
			ChaosConfig.deleteTree(runDir);
		}
		else {
			System.out.println("[chaos] report kept in " + runDir);
		}
		assertThat(problems).as("chaos suite problems (seed %d)", config.seed).isEmpty();
	}

	/**
	 * S10 on a cluster of its own: two groups of three members on one embedded directory (see
	 * {@link ChaosRun#s10EmbeddedGroups()}).
	 */
	private static ScenarioResult s10(ChaosConfig config, Path runDir, int scale) {
		return onOwnCluster("S10", "two groups on one embedded directory",
				() -> ChaosRun.embedded(config.seed, runDir, ChaosRun.S10_ZONES, scale), ChaosRun::s10EmbeddedGroups);
	}

	/**
	 * S11 on a cluster of its own: three members on a private PostgreSQL server (see
	 * {@link ChaosRun#s11PostgresSubset()}).
	 */
	private static ScenarioResult s11(ChaosConfig config, Path runDir, int scale) {
		return onOwnCluster("S11", "PostgreSQL subset",
				() -> ChaosRun.postgres(config.seed, runDir, ChaosRun.S11_MEMBERS, scale), ChaosRun::s11PostgresSubset);
	}

	/**
	 * S12 on a cluster of its own: five members on an embedded directory, the likes service on durable replicated
	 * data (see {@link ChaosRun#s12ReplicatedLikes()}).
	 */
	private static ScenarioResult s12(ChaosConfig config, Path runDir, int scale) {
		return onOwnCluster("S12", "replicated likes", () -> ChaosRun.likes(config.seed, runDir, scale),
				ChaosRun::s12ReplicatedLikes);
	}

	/** Makes a run on a cluster of its own (its store started), or fails. */
	private interface OwnCluster {

		ChaosRun open() throws IOException;

	}

	/**
	 * Boots a cluster of its own, runs one scenario on it and closes it. A cluster that cannot boot is a failed
	 * scenario, not an aborted suite.
	 */
	private static ScenarioResult onOwnCluster(String id, String title, OwnCluster cluster,
			Consumer<ChaosRun> scenario) {
		try (ChaosRun run = cluster.open()) {
			run.boot(null);
			scenario.accept(run);
			return run.results.get(run.results.size() - 1);
		}
		catch (IOException | RuntimeException ex) {
			ex.printStackTrace(System.out);
			ScenarioResult failed = new ScenarioResult(id, title, 0);
			failed.problems.add(id + " could not run: " + ex);
			return failed;
		}
	}

	private static final String S11_NEEDS = "S11 needs PostgreSQL's server binaries to start a server it can pause "
			+ "(apt-get install postgresql, or $HEDGE_POSTGRES_BIN)";

	/**
	 * Whether S11 can run: PostgreSQL's binaries are installed. Without them S11 fails the run under CI, aborts a run
	 * of S11 alone, and is skipped loudly otherwise.
	 */
	private static boolean postgresAvailable(ChaosConfig config) {
		if (PostgresServer.binariesAvailable()) {
			return true;
		}
		String message = "*** " + S11_NEEDS;
		if (Ci.isCi()) {
			throw new IllegalStateException(message);
		}
		System.err.println(message + " -- S11 SKIPPED ***");
		Assumptions.assumeFalse(config.only.equals(Set.of("S11")), message);
		return false;
	}

	/** What the run's clusters are, for its header lines. */
	private static String clusters(boolean onSpanner, int size, ChaosConfig config) {
		List<String> clusters = new ArrayList<>();
		if (onSpanner) {
			clusters.add(size + " members");
		}
		if (config.runs("S10")) {
			clusters.add("S10 on the embedded store");
		}
		if (config.runs("S11")) {
			clusters.add("S11 on PostgreSQL");
		}
		if (config.runs("S12")) {
			clusters.add("S12 on the embedded store");
		}
		return String.join(", ", clusters);
	}

	private static String failedChecks(ScenarioResult result) {
		List<String> failed = new ArrayList<>();
		result.report.results().stream().filter((r) -> !r.ok()).forEach((r) -> failed.add(r.summary()
				+ (r.descriptions().isEmpty() ? "" : " first: " + r.descriptions().get(0))));
		return failed.toString();
	}

	private static void minimum(List<String> problems, Map<String, Object> totals, String figure, long min) {
		long value = ((Number) totals.getOrDefault(figure, 0)).longValue();
		if (value < min) {
			problems.add("run invalid: " + figure + " = " + value + " (needs >= " + min + ")");
		}
	}

	/** Legitimate op latency (ok puts and gets) before the S7 attack and during it. */
	private static void latencyDuringAttack(ChaosRun run) {
		ScenarioResult s7 = run.results.get(run.results.size() - 1);
		Object start = s7.figures.get("attackStartNanos");
		Object end = s7.figures.get("attackEndNanos");
		if (start == null || end == null) {
			return;
		}
		Histories histories = Histories.read(run.cluster);
		long attackStart = ((Number) start).longValue();
		long attackEnd = ((Number) end).longValue();
		List<Long> before = new ArrayList<>();
		List<Long> during = new ArrayList<>();
		for (Op op : histories.ops()) {
			if (!op.succeeded() || !(Op.PUT.equals(op.f()) || Op.GET.equals(op.f()))) {
				continue;
			}
			long latency = (op.returnNanos() - op.invokeNanos()) / 1_000_000;
			if (op.invokeNanos() >= s7.startNanos && op.invokeNanos() < attackStart) {
				before.add(latency);
			}
			else if (op.invokeNanos() >= attackStart && op.invokeNanos() < attackEnd) {
				during.add(latency);
			}
		}
		s7.figures.put("legitP99MillisBefore", p99(before));
		s7.figures.put("legitP99MillisDuring", p99(during));
		s7.figures.put("legitOpsDuring", during.size());
		s7.figures.remove("attackStartNanos");
		s7.figures.remove("attackEndNanos");
		System.out.printf("[chaos] S7 legitimate put/get p99: %d ms before the attack (%d ops), %d ms during (%d ops)%n",
				p99(before), before.size(), p99(during), during.size());
	}

	private static long p99(List<Long> values) {
		if (values.isEmpty()) {
			return 0;
		}
		List<Long> sorted = values.stream().sorted().toList();
		return sorted.get(Math.max(0, (int) Math.ceil(sorted.size() * 0.99) - 1));
	}

	private static Map<String, Object> controls(ChaosConfig config) {
		Map<String, Object> controls = new LinkedHashMap<>();
		Path file = config.reportRoot.resolve("negative-controls.json");
		if (!Files.exists(file)) {
			controls.put("negativeControls", "not run");
			controls.put("negativeControlsAllFired", false);
			return controls;
		}
		try {
			JsonNode node = new ObjectMapper().readTree(file.toFile());
			boolean all = true;
			List<String> lines = new ArrayList<>();
			for (String name : List.of("skipFenceCheck", "ignoreDeadline", "unconditionalRenew")) {
				JsonNode control = node.path(name);
				boolean fired = control.path("fired").asBoolean();
				all &= fired;
				lines.add(name + " " + (fired ? "FIRED" : "NOT FIRED") + " (" + control.path("detector").asText()
						+ ", " + control.path("attempts").asInt() + " attempt(s), failpoints "
						+ control.path("mode").asText() + ")");
			}
			controls.put("negativeControls", lines);
			controls.put("negativeControlsAllFired", all);
			controls.put("negativeControlsSeed", node.path("seed").asLong());
		}
		catch (IOException ex) {
			controls.put("negativeControls", "unreadable: " + ex);
			controls.put("negativeControlsAllFired", false);
		}
		return controls;
	}

	private static void printSummary(ChaosConfig config, boolean onSpanner, List<ScenarioResult> results,
			Map<String, Object> t, List<String> problems, boolean passed, int size) {
		StringBuilder scenarios = new StringBuilder();
		for (ScenarioResult result : results) {
			scenarios.append(result.id).append(' ').append(result.passed() ? "PASS" : "FAIL").append(" (")
				.append(result.figures.get("seconds")).append(" s)  ");
		}
		String line = "=".repeat(100);
		System.out.println();
		System.out.println(line);
		System.out.printf("hedge chaos suite: seed %d, %s mode, %s, %d s%n", config.seed,
				config.longMode ? "long" : "CI", clusters(onSpanner, size, config),
				((Number) t.get("seconds")).longValue());
		System.out.println(line);
		row("scenarios", scenarios.toString().trim());
		if (onSpanner) {
			printSpannerFigures(config, results, t);
		}
		results.stream().filter((r) -> r.id.equals("S10")).findFirst().ifPresent(ScenariosChaosIT::printS10);
		results.stream().filter((r) -> r.id.equals("S11")).findFirst().ifPresent(ScenariosChaosIT::printS11);
		if (t.containsKey("s11")) {
			row("S11 PostgreSQL", String.valueOf(t.get("s11")));
		}
		results.stream().filter((r) -> r.id.equals("S12")).findFirst().ifPresent(ScenariosChaosIT::printS12);
		row("negative controls", String.valueOf(t.getOrDefault("negativeControls",
				"not judged (some scenarios only)")));
		results.forEach((r) -> r.knownIssues.forEach((k) -> row("known issue (" + r.id + ")", k)));
		if (onSpanner) {
			row("hygiene", "thread growth max " + t.get("maxThreadGrowth") + ", fd growth max "
					+ t.get("maxFdGrowth") + "; longest hiccup " + t.get("maxHiccupMillis") + " ms");
		}
		row("replay", "./mvnw -B verify -Pchaos -pl hedge-chaos -am -Dtest=none "
				+ "-Dsurefire.failIfNoSpecifiedTests=false -Dhedge.chaos.seed=" + config.seed);
		row("RESULT", passed ? "PASS" : "FAIL");
		problems.forEach((p) -> System.out.println("    problem: " + p));
		@SuppressWarnings("unchecked")
		List<String> shortfalls = (List<String>) t.getOrDefault("sampleShortfalls", List.of());
		shortfalls.forEach((p) -> System.out.println("    SAMPLE SHORTFALL (reported, not failing, because of "
				+ "-Dhedge.chaos.strict-samples=false): " + p));
		System.out.println(line);
	}

	/** The figures of the Spanner cluster's scenarios (S0-S9). */
	private static void printSpannerFigures(ChaosConfig config, List<ScenarioResult> results, Map<String, Object> t) {
		ScenarioResult s7 = results.stream().filter((r) -> r.id.equals("S7")).findFirst().orElse(null);
		row("leadership generations", t.get("generations") + " (required >= " + (config.longMode ? 150 : 12) + ")");
		row("overlapping intervals", t.get("overlaps") + " (C1, 0 ns tolerance; epoch order violations "
				+ t.get("epochOrderViolations") + ")");
		row("actions outside belief", t.get("actionsOutsideBelief") + " (C2)");
		row("epoch-audit violations", t.get("epochAuditViolations") + " (C3 over " + t.get("auditedEffects")
				+ " audited effects; stale renewals " + t.get("staleRenewals") + ", late renewals rejected "
				+ t.get("lateRenewalsRejected") + ")");
		row("acked puts lost / duplicated", t.get("putsLost") + " / " + t.get("putsDuplicated") + " (phantoms "
				+ t.get("putsPhantom") + ") over " + t.get("putsTotal") + " puts (" + t.get("putsAcknowledged")
				+ " acked) with " + t.get("leaderFaults") + " leader faults");
		row("linearizability (per key)", (((Number) t.get("linearizabilityViolations")).longValue() == 0)
				? "every scenario's history linearizable" : t.get("linearizabilityViolations") + " scenario(s) not");
		row("semaphore holders above 2", t.get("semaphoreOverLimit") + " over " + t.get("semaphoreCycles")
				+ " cycles (max concurrent holders " + t.get("semaphoreMaxConcurrency") + ")");
		row("crash failover p50 / max", String.format("%.2f s / %.2f s over %s failovers (L+G+P = %.1f s)",
				((Number) t.get("failoverP50Millis")).longValue() / 1e3,
				((Number) t.get("failoverMaxMillis")).longValue() / 1e3, t.get("failovers"),
				((Number) t.get("failoverBoundMillis")).longValue() / 1e3));
		long handoverMax = ((Number) t.get("handoverMaxMillis")).longValue();
		long handovers = ((Number) t.get("handovers")).longValue();
		row("graceful handover p50 / max", (handovers == 0) ? "none measured"
				: String.format("%.2f s / %.2f s over %d handovers (budget %.1f s; %.1f s target %s)",
						((Number) t.get("handoverP50Millis")).longValue() / 1e3, handoverMax / 1e3, handovers,
						ChaosRun.HANDOVER_BUDGET.toMillis() / 1e3, ChaosRun.HANDOVER_TARGET.toMillis() / 1e3,
						(handoverMax <= ChaosRun.HANDOVER_TARGET.toMillis()) ? "met" : "NOT met"));
		row("killed holder's permit", "reclaimed within " + t.get("permitReclaimMaxMillis") + " ms at most (budget "
				+ Checks.RECLAIM_BUDGET.toSeconds() + " s)");
		row("hung ops", String.valueOf(t.get("hungOps")));
		row("member exits (unexpected)", t.get("unexpectedMemberExits") + ((s7 != null) ? " (S7: "
				+ s7.figures.get("fuzzedFrames") + " fuzzed frames, oversize " + s7.figures.get("oversizeRejected")
				+ ", slowloris " + s7.figures.get("slowlorisConnections") + ")" : ""));
		if (s7 != null) {
			row("legit op p99 before/during", s7.figures.get("legitP99MillisBefore") + " ms / "
					+ s7.figures.get("legitP99MillisDuring") + " ms");
		}
	}

	/** S10's figures, one row per group and one across the groups. */
	private static void printS10(ScenarioResult s10) {
		@SuppressWarnings("unchecked")
		Map<String, Map<String, Object>> groups = (Map<String, Map<String, Object>>) s10.figures
			.getOrDefault("groups", Map.of());
		row("S10 embedded store", groups.size() + " groups on one embedded directory, members' time zones "
				+ s10.figures.get("zones"));
		groups.forEach((group, f) -> row("S10 " + group, String.format("%s generations, %s overlapping intervals; "
				+ "fence violations %s over %s audited writes; s1 (limit 2): %s cycles, max %s holders, %s above the "
				+ "limit; puts %s (%s acked), lost %s / duplicated %s; failovers %s (max %.2f s), handovers %s "
				+ "(max %.2f s)", f.get("generations"), f.get("overlaps"), f.get("fenceViolations"),
				f.get("auditedWrites"), f.get("semaphoreCycles"), f.get("maxHolders"), f.get("holdersOverLimit"),
				f.get("puts"), f.get("putsAcknowledged"), f.get("putsLost"), f.get("putsDuplicated"),
				f.get("failovers"), millis(f.get("failoverMaxMillis")) / 1e3, f.get("handovers"),
				millis(f.get("handoverMaxMillis")) / 1e3)));
		long pooled = millis(s10.figures.get("pooledOverlaps"));
		row("S10 across the groups", "permits touched by another group's leader " + s10.figures.get(
				"crossGroupPermitEffects") + " (C6c); control: C1 over both groups pooled finds " + pooled
				+ " overlaps (" + ((pooled > 0) ? "fired" : "NOT FIRED") + "), s1 holders pooled at most "
				+ s10.figures.get("pooledMaxHolders") + " at once");
		row("S10 database file", "the serving process SIGKILLed or SIGTERMed " + ((List<?>) s10.figures
			.getOrDefault("storeServerTakeoverMillis", List.of())).size() + "x, another serving after "
				+ s10.figures.get("storeServerTakeoverMillis") + " ms");
		if (s10.figures.containsKey("permitSnapshots")) {
			row("S10 snapshots", "none: " + s10.figures.get("permitSnapshots"));
		}
	}

	/** S11's figures: what ran, the safety figures, the liveness figures. */
	private static void printS11(ScenarioResult s11) {
		Map<String, Object> f = s11.figures;
		if (!f.containsKey("generations")) {
			row("S11 PostgreSQL", "did not run to its checks: " + s11.problems);
			return;
		}
		row("S11 PostgreSQL", ChaosRun.S11_MEMBERS + " members on a private " + f.get("server") + " server, each "
				+ "through its DB-link proxy; " + f.get("puts") + " puts, " + f.get("semaphoreCycles")
				+ " semaphore cycles in " + f.get("seconds") + " s");
		row("S11 safety", String.format("%s generations, %s overlapping intervals; fence violations %s over %s "
				+ "audited writes (stale renewals %s); puts %s acked, lost %s / duplicated %s; s1 (limit 2): max %s "
				+ "holders, %s above the limit; linearizable %s; hung ops %s", f.get("generations"), f.get("overlaps"),
				f.get("fenceViolations"), f.get("auditedWrites"), f.get("staleRenewals"), f.get("putsAcknowledged"),
				f.get("putsLost"), f.get("putsDuplicated"), f.get("maxHolders"), f.get("holdersOverLimit"),
				verdict(s11, "C5 linearizability"), s11.count("C9 hung ops", "hung") + s11.count("C9 hung ops",
						"late")));
		row("S11 liveness", String.format("failovers %s (max %.2f s, L+G+P = %.1f s); a single leader %s ms after "
				+ "the server's SIGSTOP ended (budget %d ms), %s ms after every DB link's blackhole; leader's DB link "
				+ "blackholed: %s; permits of killed holders %s, back within %s ms", f.get("failovers"),
				millis(f.get("failoverMaxMillis")) / 1e3, ChaosRun.FAILOVER_BOUND.toMillis() / 1e3,
				joined(f.get("stallRecoveryMillis")), ChaosRun.STALL_RECOVERY_BUDGET.toMillis(),
				joined(f.get("linksRecoveryMillis")), joined(f.get("leaderLinkOutcomes")), f.get("killedHolds"),
				f.get("permitReclaimMaxMillis")));
		if (f.containsKey("permitSnapshots")) {
			row("S11 snapshots", "none: " + f.get("permitSnapshots"));
		}
	}

	/** S12's figures: the partition's heal time, the counts under kills and retries, the durable group SIGKILL. */
	private static void printS12(ScenarioResult s12) {
		Map<String, Object> f = s12.figures;
		if (!f.containsKey("healMillis")) {
			row("S12 replicated likes", "did not run to its checks: " + s12.problems);
			return;
		}
		row("S12 2|3 partition", String.format("%s LOCAL likes on both sides; healed, all %d members equal after %s ms "
				+ "(budget %d ms)", f.get("partitionLikes"), ChaosRun.S12_MEMBERS, f.get("healMillis"),
				LikesScenario.HEAL_BUDGET.toMillis()));
		row("S12 kills + retries", String.format("%s MAJORITY likes sent (%s acknowledged, %s unknown), %s client "
				+ "retries, 2 member SIGKILLs: over-count %s, under-count %s (unknown ones counted: %s)",
				f.get("killsLikesAttempted"), f.get("killsLikesAcknowledged"), f.get("killsLikesUnknown"),
				f.get("killsRetries"), f.get("killsOverCount"), f.get("killsUnderCount"),
				f.get("killsUnknownCounted")));
		row("S12 durable group SIGKILL", String.format("%s likes sent (%s acknowledged), every member SIGKILLed at "
				+ "once with %s requests in flight: acknowledged MAJORITY likes lost %s of %s, over-count %s; all "
				+ "counted again %s ms after the restart", f.get("groupKillLikesAttempted"),
				f.get("groupKillLikesAcknowledged"), f.get("groupKillInFlight"), f.get("groupKillLost"),
				f.get("acknowledgedTotal"), f.get("groupKillOverCount"), f.get("groupKillRecoveredMillis")));
	}

	/** A list figure as {@code a, b}; anything else as it is. */
	private static String joined(Object figure) {
		return (figure instanceof List<?> list) ? String.join(", ", list.stream().map(String::valueOf).toList())
				: String.valueOf(figure);
	}

	private static String verdict(ScenarioResult result, String check) {
		return (result.result(check) == null) ? "not run" : result.result(check).ok() ? "yes" : "NO";
	}

	private static long millis(Object figure) {
		return (figure instanceof Number number) ? number.longValue() : 0;
	}

	private static void row(String name, String value) {
		System.out.printf("%-30s %s%n", name, value);
	}

	private static void writeSummary(ChaosConfig config, List<ScenarioResult> results, Map<String, Object> totals,
			List<String> problems, boolean passed) throws IOException {
		Map<String, Object> summary = new LinkedHashMap<>();
		summary.put("seed", config.seed);
		summary.put("mode", config.longMode ? "long" : "ci");
		summary.put("passed", passed);
		summary.put("problems", problems);
		summary.put("totals", totals);
		Map<String, Object> scenarios = new LinkedHashMap<>();
		for (ScenarioResult result : results) {
			Map<String, Object> one = new LinkedHashMap<>(result.figures);
			one.put("passed", result.passed());
			one.put("problems", result.problems);
			one.put("knownIssues", result.knownIssues);
			if (result.report != null) {
				one.put("checks", result.report.summaryLines());
			}
			scenarios.put(result.id, one);
		}
		summary.put("scenarios", scenarios);
		Files.createDirectories(config.reportRoot);
		new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
			.writeValue(config.reportRoot.resolve("summary.json").toFile(), summary);
	}

}
