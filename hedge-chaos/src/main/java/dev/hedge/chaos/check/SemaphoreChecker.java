package dev.hedge.chaos.check;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import dev.hedge.chaos.history.Hold;

/**
 * C6: a semaphore never has more holders than its limit, checked two ways per semaphore.
 * <ol>
 * <li><b>Beliefs</b>: a sweep over the holds' belief intervals {@code [startNanos, min(endNanos, deadlineNanos))};
 * the number of concurrent believed holders must never exceed the limit (0 ns tolerance: a release and a grant at
 * the same instant do not overlap).
 * <li><b>Commit replay</b>: for holds with a grant commit timestamp, a replay in commit-timestamp order (releases
 * before grants at the same timestamp) must never exceed the limit either. A release without a grant, or released
 * before it was granted, is a violation. The histories can miss a release that committed (its leader was killed
 * before recording it, its holder died while the call was in flight), which makes the replay hold that permit for
 * ever; so an excess at a grant commit {@code T} is put to the database's {@link PermitSnapshots snapshot} at
 * {@code T}. If the snapshot holds at most {@code limit} permit rows and shows the permit granted at {@code T}, the
 * excess came from releases the histories missed or placed too late: it is counted as
 * {@code replayCorrectedBySnapshot}, not as a violation, and the permits the snapshot lacks leave the replay.
 * Otherwise (more rows than the limit, no snapshot, or a snapshot without the grant at {@code T}) it is a violation.
 * </ol>
 * Holds of one semaphore must agree on its limit (the smallest is used otherwise, and the disagreement is a
 * violation).
 *
 * <p>Figures: {@code semaphores}, {@code holds}, {@code unclosedHolds} (no end and no deadline: held forever),
 * {@code maxConcurrency}, {@code overLimit}, {@code replayedHolds}, {@code maxGranted} (after corrections),
 * {@code overGranted}, {@code replayCorrectedBySnapshot}, {@code badReleases}.
 *
 * <p>Thread-safe if its snapshots are; holds no state between checks.
 */
public final class SemaphoreChecker {

	/** The checker's name in results. */
	public static final String NAME = "C6 semaphore";

	private final PermitSnapshots snapshots;

	/**
	 * A checker that relies on the histories alone: every excess in the commit replay is a violation.
	 */
	public SemaphoreChecker() {
		this(PermitSnapshots.NONE);
	}

	/**
	 * A checker that puts every excess in the commit replay to the database's snapshot at that commit.
	 * @param snapshots the database's snapshots
	 */
	public SemaphoreChecker(PermitSnapshots snapshots) {
		this.snapshots = snapshots;
	}

	/**
	 * Checks the holds of all semaphores.
	 * @param holds every member's holds, in any order
	 * @return the result
	 */
	public CheckResult check(Collection<Hold> holds) {
		Map<String, List<Hold>> bySemaphore = holds.stream()
			.collect(Collectors.groupingBy((hold) -> String.valueOf(hold.semaphore()), TreeMap::new,
					Collectors.toList()));
		CheckResult.Builder result = CheckResult.builder(NAME);
		Figures figures = new Figures();
		bySemaphore.forEach((semaphore, semaphoreHolds) -> {
			int limit = limit(semaphore, semaphoreHolds, result);
			sweepBeliefs(semaphore, semaphoreHolds, limit, figures, result);
			replayCommits(semaphore, semaphoreHolds, limit, figures, result);
		});
		return result.count("semaphores", bySemaphore.size())
			.count("holds", holds.size())
			.count("unclosedHolds", holds.stream().filter((hold) -> hold.effectiveEndNanos() == Long.MAX_VALUE).count())
			.count("maxConcurrency", figures.maxConcurrency)
			.count("overLimit", figures.overLimit)
			.count("replayedHolds", figures.replayed)
			.count("maxGranted", figures.maxGranted)
			.count("overGranted", figures.overGranted)
			.count("replayCorrectedBySnapshot", figures.corrected)
			.count("badReleases", figures.badReleases)
			.build();
	}

	private static int limit(String semaphore, List<Hold> holds, CheckResult.Builder result) {
		Set<Integer> limits = holds.stream().map(Hold::limit).collect(Collectors.toCollection(TreeSet::new));
		if (limits.size() > 1) {
			result.violation(semaphore + ": holds disagree on the limit " + limits);
		}
		return limits.iterator().next();
	}

	private static void sweepBeliefs(String semaphore, List<Hold> holds, int limit, Figures figures,
			CheckResult.Builder result) {
		List<Event> events = new ArrayList<>();
		for (Hold hold : holds) {
			if (hold.effectiveEndNanos() > hold.startNanos()) {
				events.add(new Event(hold.startNanos(), true, hold));
				events.add(new Event(hold.effectiveEndNanos(), false, hold));
			}
		}
		Set<Hold> holders = new LinkedHashSet<>();
		for (Event event : sorted(events)) {
			if (!event.acquire()) {
				holders.remove(event.hold());
				continue;
			}
			holders.add(event.hold());
			figures.maxConcurrency = Math.max(figures.maxConcurrency, holders.size());
			if (holders.size() > limit) {
				figures.overLimit++;
				result.violation(semaphore + ": " + holders.size() + " believed holders at " + event.time()
						+ " ns, limit " + limit + ": " + describe(holders));
			}
		}
	}

	private void replayCommits(String semaphore, List<Hold> holds, int limit, Figures figures,
			CheckResult.Builder result) {
		List<Event> events = new ArrayList<>();
		for (Hold hold : holds) {
			long grant = hold.grantTimestampMicros();
			long release = hold.releaseTimestampMicros();
			if (grant == 0 && release != 0) {
				figures.badReleases++;
				result.violation(semaphore + ": release of " + hold.describe() + " committed at " + release
						+ " us, but the permit was never granted");
			}
			else if (release != 0 && release < grant) {
				figures.badReleases++;
				result.violation(semaphore + ": release of " + hold.describe() + " committed at " + release
						+ " us, before its grant at " + grant + " us");
			}
			if (grant == 0) {
				continue;
			}
			figures.replayed++;
			events.add(new Event(grant, true, hold));
			if (release != 0) {
				events.add(new Event(release, false, hold));
			}
		}
		Set<Hold> granted = new LinkedHashSet<>();
		for (Event event : sorted(events)) {
			if (!event.acquire()) {
				granted.remove(event.hold());
				continue;
			}
			granted.add(event.hold());
			if (granted.size() > limit) {
				OptionalLong rows = this.snapshots.permitsAt(semaphore, event.time());
				if (refutedBySnapshot(semaphore, event, rows, limit, granted)) {
					figures.corrected++;
				}
				else {
					figures.overGranted++;
					String snapshot = rows.isPresent()
							? " (the database snapshot at that commit holds " + rows.getAsLong() + " permit rows)" : "";
					result.violation(semaphore + ": " + granted.size() + " permits granted at commit " + event.time()
							+ " us, limit " + limit + ": " + describe(granted) + snapshot);
				}
			}
			figures.maxGranted = Math.max(figures.maxGranted, granted.size());
		}
	}

	/**
	 * Whether the snapshot at the grant refutes the replay's excess: it holds at most {@code limit} permit rows, it
	 * shows the permit just granted, and the replay's permits it shows are no more than its rows. Then the permits it
	 * lacks are dropped from {@code granted}; otherwise {@code granted} is left as it is.
	 */
	private boolean refutedBySnapshot(String semaphore, Event grant, OptionalLong rows, int limit,
			Set<Hold> granted) {
		if (rows.isEmpty() || rows.getAsLong() > limit) {
			return false;
		}
		Set<Hold> absent = new LinkedHashSet<>();
		for (Hold hold : granted) {
			Optional<Boolean> held = this.snapshots.heldAt(semaphore, hold.permitId(), grant.time());
			if (held.isEmpty()) {
				return false;
			}
			if (!held.get()) {
				absent.add(hold);
			}
		}
		if (absent.contains(grant.hold()) || granted.size() - absent.size() > rows.getAsLong()) {
			// the snapshot lacks the grant the histories recorded at this very commit, or counts fewer rows than it
			// shows permits: it cannot be read as the database's state at this commit
			return false;
		}
		granted.removeAll(absent);
		return true;
	}

	private static List<Event> sorted(List<Event> events) {
		events.sort(Comparator.comparingLong(Event::time).thenComparing(Event::acquire));
		return events;
	}

	private static String describe(Set<Hold> holds) {
		return holds.stream().map(Hold::describe).collect(Collectors.joining(", ", "[", "]"));
	}

	/** A grant ({@code acquire}) or release of one hold at one time. */
	private record Event(long time, boolean acquire, Hold hold) {

	}

	/** Figures over all semaphores. */
	private static final class Figures {

		private long maxConcurrency;

		private long overLimit;

		private long replayed;

		private long maxGranted;

		private long overGranted;

		private long corrected;

		private long badReleases;

	}

}
