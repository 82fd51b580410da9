package dev.hedge.chaos.check;

import java.util.function.Supplier;

/**
 * One named checker invocation, bound to its inputs, as run by {@link Report}.
 *
 * <p>Implementations are run on the calling thread of {@link Report#run(java.util.List)}; they need not be
 * thread-safe unless the caller shares them.
 */
public interface Check {

	/**
	 * The checker's name, used when it throws instead of returning a result.
	 * @return the name
	 */
	String name();

	/**
	 * Runs the checker.
	 * @return its result
	 */
	CheckResult run();

	/**
	 * A check from a name and a body, typically a lambda such as
	 * {@code Check.of(LeadershipOverlapChecker.NAME, () -> new LeadershipOverlapChecker().check(terms))}.
	 * @param name the name
	 * @param body the body
	 * @return the check
	 */
	static Check of(String name, Supplier<CheckResult> body) {
		return new Check() {

			@Override
			public String name() {
				return name;
			}

			@Override
			public CheckResult run() {
				return body.get();
			}

		};
	}

}
