package dev.hedge.testsupport;

/** Whether the tests run in CI ({@code CI=true}), where a missing emulator fails instead of skipping. */
public final class Ci {

	private Ci() {
	}

	/**
	 * Whether {@code CI} is set to {@code true}.
	 * @return whether this is a CI run
	 */
	public static boolean isCi() {
		return "true".equalsIgnoreCase(System.getenv("CI"));
	}

}
