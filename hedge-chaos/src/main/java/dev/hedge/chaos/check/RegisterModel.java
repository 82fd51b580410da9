package dev.hedge.chaos.check;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

import dev.hedge.chaos.history.Op;

/**
 * A read/write register per key, for the key/value store's {@code Put} and {@code Get(latest)}.
 *
 * <ul>
 * <li>{@code put(v)} sets the register to {@code v}; always legal (a put of unknown outcome may also never take
 * effect, which the checker covers by returning it at +&infin;).
 * <li>An ok {@code get} that read {@code r} is legal iff the register holds {@code r}; {@code null} means the key
 * was never written.
 * </ul>
 * {@link #partition(Collection)} keeps only puts and gets, grouped by key, and drops what tells nothing: failed puts
 * (they did not happen) and gets that did not succeed. It also settles puts of unknown outcome where the reads decide
 * them (see {@code resolveUnknownPuts}): an unknown put nobody read is dropped, one whose value was read becomes an ok
 * put that returned by the earliest such read. Values must be unique per key, as the workload guarantees; a value
 * written twice is left to the search.
 *
 * <p>Stateless and thread-safe.
 */
public final class RegisterModel implements Model<RegisterModel.Register> {

	@Override
	public Register init() {
		return Register.EMPTY;
	}

	@Override
	public Optional<Register> step(Register state, Op op) {
		if (Op.PUT.equals(op.f())) {
			return Optional.of(new Register(op.value()));
		}
		if (Op.GET.equals(op.f()) && op.succeeded()) {
			return Objects.equals(state.value(), op.value()) ? Optional.of(state) : Optional.empty();
		}
		return Optional.of(state);
	}

	@Override
	public Map<String, List<Op>> partition(Collection<Op> history) {
		Map<String, List<Op>> partitions = new TreeMap<>();
		for (Op op : history) {
			boolean put = Op.PUT.equals(op.f()) && !op.failed();
			boolean get = Op.GET.equals(op.f()) && op.succeeded();
			if (put || get) {
				partitions.computeIfAbsent(String.valueOf(op.key()), (key) -> new ArrayList<>()).add(op);
			}
		}
		partitions.replaceAll((key, ops) -> resolveUnknownPuts(ops));
		return partitions;
	}

	/**
	 * Removes the unknown outcomes of puts where the reads decide them, which keeps the search from trying every
	 * subset of pending puts at every point. Both rewrites preserve the verdict:
	 * <ul>
	 * <li>an unknown put whose value no get read is dropped: it may have happened "never" (or last), and no read
	 * depends on it;
	 * <li>an unknown put whose value (written by no other put) some get read definitely happened, before the
	 * earliest such get returned: it becomes an ok put returning then (or at its invocation, if that is later, so
	 * that a read before the invocation stays illegal).
	 * </ul>
	 */
	private static List<Op> resolveUnknownPuts(List<Op> ops) {
		Map<String, Long> firstReadReturn = new HashMap<>();
		Map<String, Integer> writers = new HashMap<>();
		for (Op op : ops) {
			if (Op.GET.equals(op.f()) && op.value() != null) {
				firstReadReturn.merge(op.value(), op.returnNanos(), Math::min);
			}
			else if (Op.PUT.equals(op.f())) {
				writers.merge(op.value(), 1, Integer::sum);
			}
		}
		List<Op> resolved = new ArrayList<>(ops.size());
		for (Op op : ops) {
			if (!Op.PUT.equals(op.f()) || !op.outcomeUnknown()) {
				resolved.add(op);
				continue;
			}
			Long readReturn = firstReadReturn.get(op.value());
			if (readReturn == null) {
				continue;
			}
			if (writers.get(op.value()) == 1) {
				resolved.add(new Op(op.process(), op.opId(), op.f(), op.key(), op.value(), op.values(),
						op.invokeNanos(), Math.max(op.invokeNanos(), readReturn), Op.OK, op.error(), op.epoch()));
			}
			else {
				resolved.add(op);
			}
		}
		return resolved;
	}

	@Override
	public String describe(Register state) {
		return (state.value() != null) ? state.value() : "<empty>";
	}

	/**
	 * The value of one register.
	 *
	 * <p>Immutable and therefore thread-safe.
	 *
	 * @param value the value, {@code null} when never written
	 */
	public record Register(String value) {

		/** A register that was never written. */
		public static final Register EMPTY = new Register(null);

	}

}
