package dev.hedge.chaos.check;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import dev.hedge.chaos.history.Op;

/**
 * Random register histories that are linearizable by construction: every operation gets a linearization point
 * inside its interval and gets read what the puts before that point (in point order) wrote.
 */
final class RegisterHistories {

	private RegisterHistories() {
	}

	/**
	 * A linearizable history of one key.
	 * @param random the source of randomness
	 * @param key the key
	 * @param processes concurrency (each process runs its operations one after the other)
	 * @param count how many operations in total
	 * @param unknownPutRatio share of puts recorded as info (half of them take effect)
	 * @return the operations, ordered by process then invocation
	 */
	static List<Op> linearizable(Random random, String key, int processes, int count, double unknownPutRatio) {
		List<Draft> drafts = new ArrayList<>();
		long[] clocks = new long[processes];
		for (int p = 0; p < processes; p++) {
			clocks[p] = random.nextInt(1_000);
		}
		for (int i = 0; i < count; i++) {
			int p = i % processes;
			long invoke = clocks[p] + 1 + random.nextInt(1_000);
			long ret = invoke + 1 + random.nextInt(5_000);
			clocks[p] = ret;
			boolean put = random.nextInt(100) < 45;
			boolean unknown = put && random.nextDouble() < unknownPutRatio;
			drafts.add(new Draft("p" + p, i, put, unknown, unknown && random.nextBoolean(), invoke, ret,
					invoke + (long) (random.nextDouble() * (ret - invoke))));
		}
		List<Draft> byPoint = new ArrayList<>(drafts);
		byPoint.sort(Comparator.comparingLong(Draft::point));
		String current = null;
		List<Op> ops = new ArrayList<>();
		for (Draft draft : byPoint) {
			String value = draft.put() ? draft.process() + "-" + draft.opId() : current;
			if (draft.put() && (!draft.unknown() || draft.applied())) {
				current = value;
			}
			ops.add(draft.put()
					? Op.put(draft.process(), draft.opId(), key, value, draft.invoke(),
							draft.unknown() ? Long.MAX_VALUE : draft.ret(), draft.unknown() ? Op.INFO : Op.OK)
					: Op.get(draft.process(), draft.opId(), key, value, draft.invoke(), draft.ret(), Op.OK));
		}
		ops.sort(Comparator.comparing(Op::process).thenComparingLong(Op::invokeNanos));
		return ops;
	}

	/**
	 * Copies a history with one ok get turned into a stale read: it now returns a value that was overwritten by an
	 * acknowledged put which completed before the get was invoked, where the stale value's own put completed before
	 * that overwriting put was invoked. No linearization can then explain the read.
	 * @param ops a history of one key
	 * @return the history with one stale read
	 * @throws IllegalArgumentException if the history has no suitable get
	 */
	static List<Op> withStaleRead(List<Op> ops) {
		List<Op> okPuts = ops.stream().filter((op) -> Op.PUT.equals(op.f()) && op.succeeded()).toList();
		for (int i = ops.size() - 1; i >= 0; i--) {
			Op get = ops.get(i);
			if (!Op.GET.equals(get.f()) || !get.succeeded()) {
				continue;
			}
			for (Op overwriting : okPuts) {
				if (overwriting.returnNanos() >= get.invokeNanos()) {
					continue;
				}
				for (Op stale : okPuts) {
					if (stale.returnNanos() < overwriting.invokeNanos() && !stale.value().equals(get.value())) {
						List<Op> copy = new ArrayList<>(ops);
						copy.set(i, Op.get(get.process(), get.opId(), get.key(), stale.value(), get.invokeNanos(),
								get.returnNanos(), Op.OK));
						return copy;
					}
				}
			}
		}
		throw new IllegalArgumentException("no get can be made stale");
	}

	private record Draft(String process, long opId, boolean put, boolean unknown, boolean applied, long invoke,
			long ret, long point) {

	}

}
