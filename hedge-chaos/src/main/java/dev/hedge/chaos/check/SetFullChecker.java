package dev.hedge.chaos.check;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

import dev.hedge.chaos.history.Op;

/**
 * C4: Jepsen "set-full" style audit of the key/value log, comparing every put with the final full read of every key
 * ({@code Get(k, -1)}, values newest first). Puts must write values that are unique per key; several attempts of the
 * same value (idempotent retries) count as one put whose outcome is the best of its attempts (ok, then info, then
 * fail).
 *
 * <p>Violations:
 * <ul>
 * <li><b>lost</b>: an acknowledged (ok) put whose value is missing from the final read of its key;
 * <li><b>duplicate</b>: a value present more than once in the final read of a key;
 * <li><b>phantom</b>: a value in the final read that no put (ok, info or fail) ever tried to write to that key;
 * <li><b>failed but applied</b>: a put that definitely failed, yet its value is present;
 * <li><b>prefix</b>: a successful get-all during the run whose result R is not the older end of the final read F,
 * that is {@code reversed(R)} is not a prefix of {@code reversed(F)} (the log may only grow at its new end);
 * <li><b>real-time order</b>: in the final read, a value older than the value of a put that was acknowledged before
 * the older value's first attempt was even invoked (a log must not reorder writes that did not overlap in time).
 * </ul>
 * Puts of unknown outcome (info) are not violations either way and are counted as {@code unknown} (with
 * {@code unknownApplied} of them present).
 *
 * <p>Stateless and thread-safe.
 */
public final class SetFullChecker {

	/** The checker's name in results. */
	public static final String NAME = "C4 set-full";

	/**
	 * Audits the puts and get-alls of {@code history} against {@code finalRead}; other operations are ignored.
	 * @param history every member's operations, in any order
	 * @param finalRead for every key, the final full read, newest first; a key without entry reads as empty
	 * @return the result
	 */
	public CheckResult check(Collection<Op> history, Map<String, List<String>> finalRead) {
		Map<String, Map<String, Attempts>> puts = puts(history);
		TreeSet<String> keys = new TreeSet<>(puts.keySet());
		keys.addAll(finalRead.keySet());
		Tally tally = new Tally(CheckResult.builder(NAME));
		for (String key : keys) {
			List<String> values = finalRead.getOrDefault(key, List.of());
			checkKey(key, puts.getOrDefault(key, Map.of()), (values != null) ? values : List.of(), tally);
		}
		for (Op op : history) {
			if (Op.GET_ALL.equals(op.f()) && op.succeeded()) {
				tally.getAlls++;
				List<String> values = finalRead.getOrDefault(op.key(), List.of());
				checkPrefix(op, (values != null) ? values : List.of(), tally);
			}
		}
		return tally.result.count("keys", keys.size())
			.count("puts", tally.puts)
			.count("acknowledged", tally.acknowledged)
			.count("lost", tally.lost)
			.count("duplicates", tally.duplicates)
			.count("phantoms", tally.phantoms)
			.count("unknown", tally.unknown)
			.count("unknownApplied", tally.unknownApplied)
			.count("failed", tally.failed)
			.count("failedButApplied", tally.failedButApplied)
			.count("getAlls", tally.getAlls)
			.count("prefixViolations", tally.prefixViolations)
			.count("realTimeOrderViolations", tally.orderViolations)
			.build();
	}

	private static Map<String, Map<String, Attempts>> puts(Collection<Op> history) {
		Map<String, Map<String, Attempts>> puts = new HashMap<>();
		for (Op op : history) {
			if (Op.PUT.equals(op.f())) {
				puts.computeIfAbsent(op.key(), (key) -> new LinkedHashMap<>())
					.computeIfAbsent(op.value(), (value) -> new Attempts())
					.add(op);
			}
		}
		return puts;
	}

	private static void checkKey(String key, Map<String, Attempts> puts, List<String> values, Tally tally) {
		Map<String, Integer> occurrences = new LinkedHashMap<>();
		values.forEach((value) -> occurrences.merge(value, 1, Integer::sum));
		occurrences.forEach((value, count) -> {
			if (count > 1) {
				tally.duplicates++;
				tally.result.violation("duplicate: " + key + " holds " + value + " " + count + " times");
			}
			if (!puts.containsKey(value)) {
				tally.phantoms++;
				tally.result.violation("phantom: " + key + " holds " + value + " which no put tried to write");
			}
		});
		puts.forEach((value, attempts) -> {
			tally.puts++;
			boolean present = occurrences.containsKey(value);
			if (attempts.ok != null) {
				tally.acknowledged++;
				if (!present) {
					tally.lost++;
					tally.result.violation("lost: acknowledged " + attempts.ok.describe() + " is missing from the "
							+ "final read of " + key + " (" + values.size() + " values)");
				}
			}
			else if (attempts.unknown != null) {
				tally.unknown++;
				tally.unknownApplied += present ? 1 : 0;
			}
			else {
				tally.failed++;
				if (present) {
					tally.failedButApplied++;
					tally.result.violation("failed but applied: " + attempts.failed.describe() + " is present in the "
							+ "final read of " + key);
				}
			}
		});
		checkRealTimeOrder(key, puts, values, tally);
	}

	private static void checkRealTimeOrder(String key, Map<String, Attempts> puts, List<String> values,
			Tally tally) {
		Attempts latestInvoked = null;
		for (int i = values.size() - 1; i >= 0; i--) {
			Attempts attempts = puts.get(values.get(i));
			if (attempts == null) {
				continue;
			}
			if (latestInvoked != null && latestInvoked.firstInvokeNanos > attempts.firstOkReturnNanos) {
				tally.orderViolations++;
				tally.result.violation("real-time order: in " + key + ", " + latestInvoked.first.describe()
						+ " is older than " + attempts.ok.describe() + " which was acknowledged before it was invoked");
			}
			if (latestInvoked == null || attempts.firstInvokeNanos > latestInvoked.firstInvokeNanos) {
				latestInvoked = attempts;
			}
		}
	}

	private static void checkPrefix(Op getAll, List<String> finalValues, Tally tally) {
		List<String> read = (getAll.values() != null) ? getAll.values() : List.of();
		int offset = finalValues.size() - read.size();
		String problem = null;
		if (offset < 0) {
			problem = "it read " + read.size() + " values but the final read has only " + finalValues.size();
		}
		else {
			for (int i = read.size() - 1; i >= 0 && problem == null; i--) {
				String expected = finalValues.get(offset + i);
				if (!Objects.equals(expected, read.get(i))) {
					problem = "its value #" + (read.size() - i) + " from the oldest is " + read.get(i)
							+ " but the final read has " + expected;
				}
			}
		}
		if (problem != null) {
			tally.prefixViolations++;
			tally.result.violation("prefix: " + getAll.process() + "#" + getAll.opId() + " get-all " + getAll.key()
					+ " is not an older part of the final read: " + problem);
		}
	}

	/** The attempts to write one value to one key. */
	private static final class Attempts {

		private Op ok;

		private Op unknown;

		private Op failed;

		private Op first;

		private long firstInvokeNanos = Long.MAX_VALUE;

		private long firstOkReturnNanos = Long.MAX_VALUE;

		void add(Op op) {
			if (op.invokeNanos() < this.firstInvokeNanos) {
				this.firstInvokeNanos = op.invokeNanos();
				this.first = op;
			}
			if (op.succeeded()) {
				if (this.ok == null || op.returnNanos() < this.firstOkReturnNanos) {
					this.ok = op;
					this.firstOkReturnNanos = op.returnNanos();
				}
			}
			else if (op.failed()) {
				this.failed = op;
			}
			else {
				this.unknown = op;
			}
		}

	}

	/** Running figures of one check. */
	private static final class Tally {

		private final CheckResult.Builder result;

		private long puts;

		private long acknowledged;

		private long lost;

		private long duplicates;

		private long phantoms;

		private long unknown;

		private long unknownApplied;

		private long failed;

		private long failedButApplied;

		private long getAlls;

		private long prefixViolations;

		private long orderViolations;

		Tally(CheckResult.Builder result) {
			this.result = result;
		}

	}

}
