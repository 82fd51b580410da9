package dev.hedge.chaos.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

import dev.hedge.testsupport.Ci;
import dev.hedge.testsupport.SpannerEmulator;

/**
 * The chaos flags: {@code -Dhedge.chaos.seed=N} replays a run, {@code -Dhedge.chaos.long=true} runs the long mode
 * (7 members, 5x durations and fault counts, every scenario), {@code -Dhedge.chaos.only=S0,S1} runs some scenarios
 * only (for development; figures are then not judged against the run minimums; {@code S10} or {@code S11} alone
 * starts no Spanner emulator). Reports go to {@code target/chaos-report/}.
 */
final class ChaosConfig {

	final long seed;

	final boolean longMode;

	final Set<String> only;

	final Path reportRoot = Path.of("target", "chaos-report").toAbsolutePath();

	private ChaosConfig(long seed, boolean longMode, Set<String> only) {
		this.seed = seed;
		this.longMode = longMode;
		this.only = only;
	}

	static ChaosConfig fromSystemProperties() {
		String seedText = System.getProperty("hedge.chaos.seed", "").trim();
		long seed = seedText.isEmpty() ? Math.abs(System.nanoTime() % 1_000_000_007L) : Long.parseLong(seedText);
		boolean longMode = Boolean.parseBoolean(System.getProperty("hedge.chaos.long", "").trim());
		Set<String> only = new TreeSet<>();
		for (String id : System.getProperty("hedge.chaos.only", "").split(",")) {
			if (!id.isBlank()) {
				only.add(id.trim().toUpperCase());
			}
		}
		return new ChaosConfig(seed, longMode, only);
	}

	boolean runs(String scenario) {
		return this.only.isEmpty() || this.only.contains(scenario);
	}

	static void requireEmulator(String who) {
		if (!SpannerEmulator.binaryAvailable()) {
			String message = "*** " + who + " needs the Spanner emulator_main binary (set SPANNER_EMULATOR_BINARY)";
			if (Ci.isCi()) {
				throw new IllegalStateException(message);
			}
			System.err.println(message + " -- SKIPPED ***");
			Assumptions.abort(message);
		}
	}

	static boolean keepReports() {
		return "1".equals(System.getenv("HEDGE_KEEP_REPORTS"));
	}

	static void deleteTree(Path root) {
		if (!Files.exists(root)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(root)) {
			paths.sorted(Comparator.reverseOrder()).forEach((p) -> {
				try {
					Files.delete(p);
				}
				catch (IOException ex) {
					// best effort
				}
			});
		}
		catch (IOException ex) {
			// best effort
		}
	}

	/**
	 * Whether a run whose samples fall short of the minimums (generations, puts, leader faults, semaphore
	 * cycles) fails (the default) or only reports the shortfall ({@code -Dhedge.chaos.strict-samples=false}, for a
	 * machine slower than the 2-core CI one: how many cycles fit in a run depends on its speed, not on hedge's
	 * correctness).
	 * @return whether shortfalls fail the run
	 */
	static boolean strictSamples() {
		return !"false".equalsIgnoreCase(System.getProperty("hedge.chaos.strict-samples", "").trim());
	}

	/**
	 * The group secret the members of a run authenticate each other's calls with (random per run), or null when
	 * {@code -Dhedge.chaos.auth=false} runs them unauthenticated on loopback (S7 then reports what forged calls can do
	 * instead of requiring that they do nothing).
	 * @return the secret, or null
	 */
	/**
	 * The group secret's skew window in the chaos runs: S8 sets members' wall clocks 60 s before and after the others,
	 * and a signed call is refused outside the window (with the 10 s default those members never join; hedge's
	 * leases do not read wall clocks, its call authentication does).
	 */
	static final java.time.Duration MAX_CLOCK_SKEW = java.time.Duration.ofMinutes(3);

	static String newGroupSecret() {
		if ("false".equalsIgnoreCase(System.getProperty("hedge.chaos.auth", "").trim())) {
			return null;
		}
		byte[] bytes = new byte[32];
		new java.security.SecureRandom().nextBytes(bytes);
		return java.util.Base64.getEncoder().encodeToString(bytes);
	}

}
