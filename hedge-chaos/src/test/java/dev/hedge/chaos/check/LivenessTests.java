package dev.hedge.chaos.check;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.hedge.chaos.check.CheckResult.Status;
import dev.hedge.chaos.check.Liveness.Figures;
import dev.hedge.chaos.history.Fault;
import dev.hedge.chaos.history.Term;

import static org.assertj.core.api.Assertions.assertThat;

class LivenessTests {

	private static final long NEVER = Long.MAX_VALUE;

	private static final long MS = 1_000_000L;

	private final Liveness liveness = new Liveness();

	private final List<Term> terms = List.of(new Term("m1", 1, 0, NEVER, 5_000 * MS, null),
			new Term("m2", 2, 6_500 * MS, NEVER, 11_000 * MS, null),
			new Term("m3", 3, 13_000 * MS, 20_000 * MS, 21_000 * MS, "released"),
			new Term("m1", 4, 20_300 * MS, NEVER, 30_000 * MS, null));

	private final List<Fault> faults = List.of(new Fault("kill", "m1", 2_000 * MS, 2_000 * MS, null),
			new Fault("pause", "m2", 10_000 * MS, 16_000 * MS, null),
			new Fault("terminate", "m3", 19_900 * MS, 19_900 * MS, null),
			new Fault("partition", "m1", 25_000 * MS, 26_000 * MS, null));

	@Test
	void failoversAndHandoversAreMeasuredFromTheFaultToTheNextTerm() {
		Figures figures = this.liveness.measure(this.terms, this.faults);
		assertThat(figures.failovers()).extracting(Liveness.Transition::nanos).containsExactly(4_500 * MS, 3_000 * MS);
		assertThat(figures.handovers()).extracting(Liveness.Transition::nanos).containsExactly(400 * MS);
		assertThat(figures.failoverP50Nanos()).isEqualTo(3_000 * MS);
		assertThat(figures.failoverMaxNanos()).isEqualTo(4_500 * MS);
		assertThat(figures.handoverP50Nanos()).isEqualTo(400 * MS);
		assertThat(figures.unrecovered()).isEmpty();
		assertThat(figures.failovers().get(0).describe()).isEqualTo("kill of m1 (epoch 1) -> m2 (epoch 2) in 4.500 s");
	}

	@Test
	void withinBudgetsTheCheckPasses() {
		CheckResult result = this.liveness.check(this.terms, this.faults, Duration.ofSeconds(6), Duration.ofSeconds(5),
				Duration.ofSeconds(2));
		assertThat(result.status()).isEqualTo(Status.PASS);
		assertThat(result.summary()).isEqualTo("C9 liveness: PASS (failovers=2, failoverP50Millis=3000, "
				+ "failoverMaxMillis=4500, handovers=1, handoverP50Millis=400, handoverMaxMillis=400, unrecovered=0, "
				+ "faultsNotOnLeader=0)");
	}

	@Test
	void emptyInputPasses() {
		CheckResult result = this.liveness.check(List.of(), List.of(), Duration.ofSeconds(6), Duration.ofSeconds(5),
				Duration.ofSeconds(2));
		assertThat(result.ok()).isTrue();
		assertThat(result.count("failovers")).isZero();
	}

	@Test
	void aFailoverOverBudgetIsFlagged() {
		CheckResult result = this.liveness.check(this.terms, this.faults, Duration.ofSeconds(4), Duration.ofSeconds(5),
				Duration.ofSeconds(2));
		assertThat(result.status()).isEqualTo(Status.FAIL);
		assertThat(result.descriptions()).singleElement().asString().startsWith("failover kill of m1");
	}

	@Test
	void aMedianOverBudgetIsFlagged() {
		CheckResult result = this.liveness.check(this.terms, this.faults, Duration.ofSeconds(6),
				Duration.ofMillis(2_999), Duration.ofSeconds(2));
		assertThat(result.descriptions()).singleElement().asString().startsWith("failover median 3.000 s");
	}

	@Test
	void aSlowHandoverIsFlagged() {
		CheckResult result = this.liveness.check(this.terms, this.faults, Duration.ofSeconds(6), Duration.ofSeconds(5),
				Duration.ofMillis(399));
		assertThat(result.descriptions()).singleElement().asString().startsWith("handover terminate of m3");
	}

	@Test
	void aLeaderFaultWithoutAnyLaterTermIsUnrecovered() {
		List<Fault> faults = List.of(new Fault("kill", "m1", 29_000 * MS, 29_000 * MS, null));
		CheckResult result = this.liveness.check(this.terms, faults, Duration.ofSeconds(6), Duration.ofSeconds(5),
				Duration.ofSeconds(2));
		assertThat(result.count("unrecovered")).isOne();
		assertThat(result.count("failovers")).isZero();
		assertThat(result.descriptions()).singleElement()
			.asString()
			.startsWith("no new leader after kill of leader m1");
	}

	@Test
	void aFaultOnAFollowerIsCountedButNotMeasured() {
		Figures figures = this.liveness.measure(this.terms, List.of(new Fault("kill", "m3", 2_000 * MS, NEVER, null)));
		assertThat(figures.failovers()).isEmpty();
		assertThat(figures.faultsNotOnLeader()).isOne();
	}

	@Test
	void aRestartedMemberWinningTheNextElectionEndsTheFailover() {
		List<Term> terms = List.of(new Term("m1", 1, 0, NEVER, 5_000 * MS, null),
				new Term("m1", 2, 6_000 * MS, NEVER, NEVER, null));
		Figures figures = this.liveness.measure(terms, List.of(new Fault("kill", "m1", 2_000 * MS, 2_000 * MS, null)));
		assertThat(figures.failovers()).extracting(Liveness.Transition::nanos).containsExactly(4_000 * MS);
	}

	@Test
	void aFaultAtTheDeadlineFindsNoLeader() {
		Figures figures = this.liveness.measure(this.terms,
				List.of(new Fault("kill", "m1", 5_000 * MS, 5_000 * MS, null)));
		assertThat(figures.faultsNotOnLeader()).isOne();
	}

	@Test
	void faultKindsCanBeChosen() {
		Liveness custom = new Liveness(Set.of("partition"), Set.of());
		Figures figures = custom.measure(this.terms, this.faults);
		assertThat(figures.failovers()).isEmpty();
		assertThat(figures.unrecovered()).hasSize(1);
		assertThat(figures.handovers()).isEmpty();
	}

	@Test
	void percentilesUseTheNearestRank() {
		List<Long> values = List.of(50L, 10L, 40L, 20L, 30L);
		assertThat(Liveness.percentile(values, 50)).isEqualTo(30);
		assertThat(Liveness.percentile(values, 100)).isEqualTo(50);
		assertThat(Liveness.percentile(values, 1)).isEqualTo(10);
		assertThat(Liveness.percentile(List.of(7L, 3L), 50)).isEqualTo(3);
		assertThat(Liveness.percentile(List.of(), 50)).isZero();
	}

}
