package dev.hedge.chaos.check;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import dev.hedge.chaos.history.Fault;
import dev.hedge.chaos.history.Term;

/**
 * Liveness figures from terms and nemesis events: how long the cluster went without a leader after its leader was
 * disrupted.
 *
 * <p>For each fault whose kind is a failure kind ({@link #DEFAULT_FAILURE_KINDS}: killed or paused) or a graceful
 * kind ({@link #DEFAULT_GRACEFUL_KINDS}: asked to terminate) and whose target was leading when it struck (a term of
 * the target with {@code start <= fault.start < min(end, deadline)}), the time is measured from the fault's start to
 * the start of the next term with a higher epoch that starts at or after the fault. That is usually a term of another
 * member, but a disrupted member that restarted and won the next election counts too: the cluster has a leader again
 * either way. Failure kinds give <b>failover</b> times, graceful kinds <b>handover</b> times. A fault with no later
 * term is <b>unrecovered</b>; a fault on a member that was not leading is counted and otherwise ignored.
 *
 * <p>Stateless and thread-safe.
 */
public final class Liveness {

	/** The checker's name in results of {@link #check}. */
	public static final String NAME = "C9 liveness";

	/** Fault kinds that disrupt a leader without warning. */
	public static final Set<String> DEFAULT_FAILURE_KINDS = Set.of("kill", "pause");

	/** Fault kinds that ask a leader to step down gracefully. */
	public static final Set<String> DEFAULT_GRACEFUL_KINDS = Set.of("terminate");

	private final Set<String> failureKinds;

	private final Set<String> gracefulKinds;

	/**
	 * Creates a helper with the default fault kinds.
	 */
	public Liveness() {
		this(DEFAULT_FAILURE_KINDS, DEFAULT_GRACEFUL_KINDS);
	}

	/**
	 * Creates a helper.
	 * @param failureKinds fault kinds whose recovery is a failover
	 * @param gracefulKinds fault kinds whose recovery is a handover
	 */
	public Liveness(Set<String> failureKinds, Set<String> gracefulKinds) {
		this.failureKinds = Set.copyOf(failureKinds);
		this.gracefulKinds = Set.copyOf(gracefulKinds);
	}

	/**
	 * Measures failovers and handovers.
	 * @param terms every member's terms, in any order
	 * @param faults the nemesis events, in any order
	 * @return the figures
	 */
	public Figures measure(Collection<Term> terms, Collection<Fault> faults) {
		List<Term> byStart = new ArrayList<>(terms);
		byStart.sort(Comparator.comparingLong(Term::startNanos).thenComparingLong(Term::epoch));
		List<Fault> ordered = new ArrayList<>(faults);
		ordered.sort(Comparator.comparingLong(Fault::startNanos));
		List<Transition> failovers = new ArrayList<>();
		List<Transition> handovers = new ArrayList<>();
		List<Fault> unrecovered = new ArrayList<>();
		long notOnLeader = 0;
		for (Fault fault : ordered) {
			boolean failure = this.failureKinds.contains(fault.kind());
			if (!failure && !this.gracefulKinds.contains(fault.kind())) {
				continue;
			}
			Optional<Term> disrupted = leading(byStart, fault);
			if (disrupted.isEmpty()) {
				notOnLeader++;
				continue;
			}
			Optional<Term> next = byStart.stream()
				.filter((term) -> term.startNanos() >= fault.startNanos() && term.epoch() > disrupted.get().epoch())
				.findFirst();
			if (next.isEmpty()) {
				unrecovered.add(fault);
				continue;
			}
			Transition transition = new Transition(fault, disrupted.get(), next.get(),
					next.get().startNanos() - fault.startNanos());
			(failure ? failovers : handovers).add(transition);
		}
		return new Figures(failovers, handovers, unrecovered, notOnLeader);
	}

	/**
	 * Measures and judges against budgets, as a checker result named {@value #NAME}. Every failover over
	 * {@code maxFailover}, a failover median over {@code maxFailoverP50}, every handover over {@code maxHandover} and
	 * every unrecovered fault is a violation.
	 * @param terms every member's terms
	 * @param faults the nemesis events
	 * @param maxFailover budget for each failover
	 * @param maxFailoverP50 budget for the median failover
	 * @param maxHandover budget for each handover
	 * @return the result
	 */
	public CheckResult check(Collection<Term> terms, Collection<Fault> faults, Duration maxFailover,
			Duration maxFailoverP50, Duration maxHandover) {
		Figures figures = measure(terms, faults);
		CheckResult.Builder result = CheckResult.builder(NAME);
		for (Transition failover : figures.failovers()) {
			if (failover.nanos() > maxFailover.toNanos()) {
				result.violation("failover " + failover.describe() + " over the " + maxFailover + " budget");
			}
		}
		if (figures.failoverP50Nanos() > maxFailoverP50.toNanos()) {
			result.violation("failover median " + Durations.format(figures.failoverP50Nanos()) + " over the "
					+ maxFailoverP50 + " budget");
		}
		for (Transition handover : figures.handovers()) {
			if (handover.nanos() > maxHandover.toNanos()) {
				result.violation("handover " + handover.describe() + " over the " + maxHandover + " budget");
			}
		}
		for (Fault fault : figures.unrecovered()) {
			result.violation("no new leader after " + fault.kind() + " of leader " + fault.target() + " at "
					+ fault.startNanos() + " ns");
		}
		return result.count("failovers", figures.failovers().size())
			.count("failoverP50Millis", figures.failoverP50Nanos() / 1_000_000)
			.count("failoverMaxMillis", figures.failoverMaxNanos() / 1_000_000)
			.count("handovers", figures.handovers().size())
			.count("handoverP50Millis", figures.handoverP50Nanos() / 1_000_000)
			.count("handoverMaxMillis", figures.handoverMaxNanos() / 1_000_000)
			.count("unrecovered", figures.unrecovered().size())
			.count("faultsNotOnLeader", figures.faultsNotOnLeader())
			.build();
	}

	private static Optional<Term> leading(List<Term> byStart, Fault fault) {
		return byStart.stream()
			.filter((term) -> Objects.equals(term.member(), fault.target()) && term.startNanos() <= fault.startNanos()
					&& fault.startNanos() < term.effectiveEndNanos())
			.findFirst();
	}

	/**
	 * The p-th percentile (nearest rank) of some durations.
	 * @param nanos the durations, in any order
	 * @param percentile between 0 (exclusive) and 100
	 * @return the percentile, {@code 0} when there are none
	 */
	static long percentile(List<Long> nanos, double percentile) {
		if (nanos.isEmpty()) {
			return 0;
		}
		List<Long> sorted = nanos.stream().sorted().toList();
		int rank = (int) Math.ceil(percentile / 100.0 * sorted.size());
		return sorted.get(Math.max(rank, 1) - 1);
	}

	/**
	 * One leadership transition after a fault.
	 *
	 * <p>Immutable and therefore thread-safe.
	 *
	 * @param fault the fault
	 * @param disrupted the term the fault struck
	 * @param next the next term
	 * @param nanos from the fault's start to the next term's start
	 */
	public record Transition(Fault fault, Term disrupted, Term next, long nanos) {

		/**
		 * A description such as {@code kill of m1 (epoch 3) -> m2 (epoch 4) in 4.812 s}.
		 * @return the description
		 */
		public String describe() {
			return this.fault.kind() + " of " + this.disrupted.member() + " (epoch " + this.disrupted.epoch() + ") -> "
					+ this.next.member() + " (epoch " + this.next.epoch() + ") in " + Durations.format(this.nanos);
		}

	}

	/**
	 * The measured figures.
	 *
	 * <p>Immutable and therefore thread-safe.
	 *
	 * @param failovers transitions after failure faults, in fault order
	 * @param handovers transitions after graceful faults, in fault order
	 * @param unrecovered faults on a leader after which no new term started
	 * @param faultsNotOnLeader counted faults whose target was not leading
	 */
	public record Figures(List<Transition> failovers, List<Transition> handovers, List<Fault> unrecovered,
			long faultsNotOnLeader) {

		/**
		 * Creates figures, copying the lists.
		 */
		public Figures {
			failovers = List.copyOf(failovers);
			handovers = List.copyOf(handovers);
			unrecovered = List.copyOf(unrecovered);
		}

		/**
		 * The median failover time.
		 * @return nanoseconds, {@code 0} when there was none
		 */
		public long failoverP50Nanos() {
			return percentile(nanos(this.failovers), 50);
		}

		/**
		 * The longest failover time.
		 * @return nanoseconds, {@code 0} when there was none
		 */
		public long failoverMaxNanos() {
			return percentile(nanos(this.failovers), 100);
		}

		/**
		 * The median handover time.
		 * @return nanoseconds, {@code 0} when there was none
		 */
		public long handoverP50Nanos() {
			return percentile(nanos(this.handovers), 50);
		}

		/**
		 * The longest handover time.
		 * @return nanoseconds, {@code 0} when there was none
		 */
		public long handoverMaxNanos() {
			return percentile(nanos(this.handovers), 100);
		}

		private static List<Long> nanos(List<Transition> transitions) {
			return transitions.stream().map(Transition::nanos).toList();
		}

	}

}
