package dev.hedge.chaos.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.hedge.chaos.check.CheckResult;
import dev.hedge.chaos.check.FenceAuditChecker;
import dev.hedge.chaos.check.LeadershipOverlapChecker;
import dev.hedge.chaos.check.ActionInBeliefChecker;
import dev.hedge.chaos.history.Fault;
import dev.hedge.common.Failpoints;

/**
 * Negative controls (reliability-plan.md §4.5): each failpoint breaks one safety mechanism on 3 member JVMs, the
 * leader is SIGSTOPped for 2·L under write load and resumed, and the checker that guards the mechanism must flag the
 * history. A pause can miss the window the control needs (no batch in flight, a renewal already in flight), so each
 * control retries the pause up to {@value #ATTEMPTS} times and reports how many it took. A control that never fires
 * fails the suite: the checker would be blind.
 *
 * <ul>
 * <li>{@code skipFenceCheck} (leader writes skip the epoch check): the fence audit C3 must find an effect committed
 * under a stale epoch. A paused leader's in-flight batch is cancelled by its per-call store deadline as soon as it
 * resumes, and a new batch first checks the (expired) belief, so a stale write only slips through a pause that lands
 * between the belief check and the store call: after {@value #PLAIN_FENCE_ATTEMPTS} plain attempts the control adds
 * {@code ignoreDeadline} at run time, so the resumed ex-leader keeps writing and only the (skipped) fence could stop
 * it;</li>
 * <li>{@code ignoreDeadline} (the leader believes past its deadline): C1 must find overlapping terms (C2 may too),
 * while C3 stays clean: the fence refuses the ex-leader's writes;</li>
 * <li>{@code unconditionalRenew} (Go's unfenced heartbeat): the stale-renewal check C3b must find a renewal sent
 * after a later epoch started that still changed the lease row (or C1 an overlap).</li>
 * </ul>
 * Results go to {@code target/chaos-report/negative-controls.json}, which the scenario suite prints in its summary.
 */
@Tag("chaos")
class NegativeControlsChaosIT {

	static final int ATTEMPTS = 6;

	/** Pauses tried with skipFenceCheck alone before ignoreDeadline is added. */
	static final int PLAIN_FENCE_ATTEMPTS = 3;

	@Test
	void everyNegativeControlFires() throws Exception {
		ChaosConfig.requireEmulator(getClass().getSimpleName());
		ChaosConfig config = ChaosConfig.fromSystemProperties();
		Files.createDirectories(config.reportRoot);
		Map<String, Object> results = new LinkedHashMap<>();
		boolean all = true;
		long started = System.nanoTime();
		for (String failpoint : new String[] { Failpoints.SKIP_FENCE_CHECK, Failpoints.IGNORE_DEADLINE,
				Failpoints.UNCONDITIONAL_RENEW }) {
			Map<String, Object> outcome = control(config, failpoint);
			results.put(failpoint, outcome);
			all &= Boolean.TRUE.equals(outcome.get("fired"));
		}
		results.put("seconds", (System.nanoTime() - started) / 1_000_000_000L);
		results.put("seed", config.seed);
		Path file = config.reportRoot.resolve("negative-controls.json");
		new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), results);
		System.out.println("[chaos] negative controls: " + results);
		assertThat(all).as("every negative control fired: %s", results).isTrue();
	}

	private Map<String, Object> control(ChaosConfig config, String failpoint) throws Exception {
		Path runDir = config.reportRoot.resolve(config.seed + "-control-" + failpoint);
		ChaosConfig.deleteTree(runDir);
		Map<String, Object> outcome = new LinkedHashMap<>();
		boolean fired = false;
		String detail = "";
		int attempt = 0;
		try (ChaosRun run = new ChaosRun(config.seed, runDir, 3, 0, 1)) {
			run.boot(failpoint);
			boolean writes = Failpoints.SKIP_FENCE_CHECK.equals(failpoint);
			run.cluster.startWorkload("nc-", writes ? 40 : 10, writes ? "puts" : "default");
			run.sleepSeconds(3);
			String mode = failpoint;
			while (!fired && attempt < ATTEMPTS) {
				attempt++;
				if (Failpoints.SKIP_FENCE_CHECK.equals(failpoint) && attempt == PLAIN_FENCE_ATTEMPTS + 1) {
					// a paused leader's in-flight batch is cancelled by its store deadline when it resumes, so only a
					// pause between the belief check and the store call lets a stale write through (microseconds):
					// break the belief too, so the resumed ex-leader goes on writing, and only the fence could stop it
					for (Member member : run.cluster.live()) {
						member.call("POST", "/failpoint?name=" + Failpoints.IGNORE_DEADLINE + "&on=true",
								Duration.ofSeconds(5));
					}
					mode = failpoint + "+" + Failpoints.IGNORE_DEADLINE;
				}
				Member leader = run.cluster.awaitLeader(Duration.ofSeconds(20));
				Fault fault = run.cluster.fault("pause", leader.id(), leader.name() + " control " + failpoint);
				leader.pause();
				run.sleepSeconds(2 * ChaosRun.L.toMillis() / 1000.0);
				leader.resume();
				run.cluster.healed(fault);
				run.sleepSeconds(4);
				Histories histories = Histories.read(run.cluster);
				CheckResult result = switch (failpoint) {
					case Failpoints.SKIP_FENCE_CHECK -> new FenceAuditChecker().check(histories.takeovers(),
							histories.effects());
					case Failpoints.IGNORE_DEADLINE -> new LeadershipOverlapChecker().check(histories.terms());
					default -> Checks.staleRenewals(histories.renewals(), histories.terms());
				};
				CheckResult overlap = new LeadershipOverlapChecker().check(histories.terms());
				CheckResult inBelief = new ActionInBeliefChecker().check(histories.terms(), histories.effects());
				fired = !result.ok() || (Failpoints.UNCONDITIONAL_RENEW.equals(failpoint) && !overlap.ok());
				detail = result.summary() + ((result.descriptions().isEmpty()) ? ""
						: " first: " + result.descriptions().get(0));
				outcome.put("alsoC1", overlap.summary());
				outcome.put("alsoC2", inBelief.summary());
				outcome.put("alsoC3", new FenceAuditChecker().check(histories.takeovers(), histories.effects())
					.summary());
				outcome.put("mode", mode);
				System.out.printf("[chaos] control %s attempt %d: %s%n", failpoint, attempt, detail);
			}
			run.cluster.stopWorkload();
		}
		outcome.put("fired", fired);
		outcome.put("attempts", attempt);
		outcome.put("detector", switch (failpoint) {
			case Failpoints.SKIP_FENCE_CHECK -> "C3 fence audit";
			case Failpoints.IGNORE_DEADLINE -> "C1 leadership overlap";
			default -> "C3b stale renewals";
		});
		outcome.put("detail", detail);
		if (fired && !ChaosConfig.keepReports()) {
			ChaosConfig.deleteTree(runDir);
		}
		return outcome;
	}

}
