package dev.hedge.chaos.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.hedge.chaos.history.Effect;
import dev.hedge.chaos.history.HistoryIO;
import dev.hedge.chaos.history.Hold;
import dev.hedge.chaos.history.Op;
import dev.hedge.chaos.history.Takeover;
import dev.hedge.chaos.history.Term;
import dev.hedge.chaos.member.Hiccup;
import dev.hedge.chaos.member.Renewal;

/**
 * Everything the members recorded, read from their history files: terms and holds merged by key (the last line of
 * each wins, because members upsert them), holds completed with the leader-side grant/release commit timestamps.
 */
record Histories(List<Op> ops, List<Term> terms, List<Takeover> takeovers, List<Effect> effects, List<Hold> holds,
		List<Renewal> renewals, List<Hiccup> hiccups) {

	/** The workload's semaphore. */
	static final String SEMAPHORE = "s1";

	/** Every member's histories (a cluster of one group). */
	static Histories read(Cluster cluster) {
		return read(cluster::historyFiles);
	}

	/** The histories of one group's members only: a group's terms, epochs and permits are its own. */
	static Histories read(Cluster cluster, String group) {
		return read((kind) -> cluster.historyFiles(kind, group));
	}

	private static Histories read(Function<String, List<Path>> files) {
		try {
			Map<String, Op> byId = new LinkedHashMap<>();
			// a put is recorded when invoked and again when it returns: the last line of each op wins
			HistoryIO.readAll(files.apply("ops"), Op.class).forEach((o) -> byId.put(o.process() + "#" + o.opId(), o));
			List<Op> ops = new ArrayList<>(byId.values());
			List<Term> rawTerms = HistoryIO.readAll(files.apply("terms"), Term.class);
			Map<String, Term> terms = new LinkedHashMap<>();
			rawTerms.forEach((t) -> terms.put(t.member() + "#" + t.epoch(), t));
			List<Takeover> takeovers = HistoryIO.readAll(files.apply("takeovers"), Takeover.class);
			List<Effect> effects = HistoryIO.readAll(files.apply("effects"), Effect.class);
			List<Hold> rawHolds = HistoryIO.readAll(files.apply("holds"), Hold.class);
			List<Renewal> renewals = HistoryIO.readAll(files.apply("renewals"), Renewal.class);
			List<Hiccup> hiccups = HistoryIO.readAll(files.apply("hiccups"), Hiccup.class);
			return new Histories(ops, new ArrayList<>(terms.values()), takeovers, effects,
					completeHolds(rawHolds, effects, ops), renewals, hiccups);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Merges hold lines by permit and fills in commit timestamps from the leaders' audit: the first grant of a permit,
	 * and its release or reclaim (a killed holder never learns its permit was reclaimed). Permits the audit granted
	 * but no holder recorded (the holder died before it learnt of the grant) are added with an empty belief interval
	 * so the commit replay still counts them. A release the holder saw succeed (or answered "not held") whose commit
	 * no leader recorded (the leader was killed between its commit and its history line) is placed just after the
	 * last audited commit that returned before the release was invoked: it cannot have committed earlier, so the
	 * replay never counts the permit for longer than it was really granted (and never shorter than it surely was).
	 */
	static List<Hold> completeHolds(List<Hold> raw, List<Effect> effects, List<Op> ops) {
		Map<String, Hold> byPermit = new LinkedHashMap<>();
		raw.forEach((h) -> byPermit.put(h.permitId(), h));
		// effect ids are "<semaphore>/<permit id>"; only the workload's semaphore is checked (fuzzed requests in S7
		// define and acquire others)
		Map<String, Long> granted = new HashMap<>();
		Map<String, Long> released = new HashMap<>();
		effects.stream().sorted(Comparator.comparingLong(Effect::commitTimestampMicros)).forEach((e) -> {
			if (e.id() == null || !e.id().startsWith(SEMAPHORE + "/")) {
				return;
			}
			String permit = e.id().substring(SEMAPHORE.length() + 1);
			if ("sem-grant".equals(e.kind())) {
				granted.putIfAbsent(permit, e.commitTimestampMicros());
			}
			else if ("sem-release".equals(e.kind()) || "sem-reclaim".equals(e.kind())) {
				released.putIfAbsent(permit, e.commitTimestampMicros());
			}
		});
		List<Hold> holds = new ArrayList<>();
		for (Hold h : byPermit.values()) {
			long grant = granted.getOrDefault(h.permitId(), h.grantTimestampMicros());
			long release = released.getOrDefault(h.permitId(), h.releaseTimestampMicros());
			if (release == 0 && grant != 0) {
				release = inferredRelease(h, grant, effects, ops);
			}
			holds.add(new Hold(h.member(), h.permitId(), h.semaphore(), h.limit(), h.startNanos(), h.endNanos(),
					h.deadlineNanos(), grant, release));
		}
		for (Map.Entry<String, Long> grant : granted.entrySet()) {
			if (!byPermit.containsKey(grant.getKey())) {
				holds.add(new Hold("(unrecorded holder)", grant.getKey(), SEMAPHORE, 2, 0, 0, 0, grant.getValue(),
						released.getOrDefault(grant.getKey(), 0L)));
			}
		}
		return holds;
	}

	/** The earliest commit timestamp the unaudited release of a hold can have, or {@code 0} if never released. */
	private static long inferredRelease(Hold hold, long grant, List<Effect> effects, List<Op> ops) {
		long invoked = ops.stream()
			.filter((o) -> "release".equals(o.f()) && SEMAPHORE.equals(o.key()) && hold.permitId().equals(o.value())
					&& Op.OK.equals(o.type()))
			.mapToLong(Op::invokeNanos)
			.min()
			.orElse(Long.MAX_VALUE);
		if (invoked == Long.MAX_VALUE) {
			return 0;
		}
		long before = effects.stream()
			.filter((e) -> e.commitTimestampMicros() > 0 && e.endNanos() < invoked)
			.mapToLong(Effect::commitTimestampMicros)
			.max()
			.orElse(0);
		return Math.max(before, grant) + 1;
	}

	List<Op> opsWithPrefix(String prefix) {
		return this.ops.stream()
			.filter((o) -> o.key() != null && o.key().startsWith(prefix) || o.key() == null
					&& o.value() != null && false)
			.toList();
	}

	List<Op> opsBetween(long fromNanos, long toNanos) {
		return this.ops.stream().filter((o) -> o.invokeNanos() >= fromNanos && o.invokeNanos() < toNanos).toList();
	}

}
