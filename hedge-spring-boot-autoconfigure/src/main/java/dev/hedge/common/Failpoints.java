package dev.hedge.common;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Named faults for hedge's own chaos tests (negative controls, in the style of etcd's gofail): each breaks one safety
 * mechanism on purpose, so the tests can prove their checkers notice. All are off unless enabled with the system
 * property {@code hedge.failpoints} (comma-separated names) or {@link #enable(String)}; a disabled failpoint costs one
 * volatile read. Never enable them in production.
 *
 * <ul>
 * <li>{@link #SKIP_FENCE_CHECK}: leader-side writes do not check the epoch in their transaction;</li>
 * <li>{@link #IGNORE_DEADLINE}: the leader keeps believing it leads after its local deadline;</li>
 * <li>{@link #UNCONDITIONAL_RENEW}: renewals update the heartbeat whoever holds the lease (hedge-Go's spindle).</li>
 * </ul>
 * Thread-safe.
 */
public final class Failpoints {

	/** Leader-side writes skip the fence check. */
	public static final String SKIP_FENCE_CHECK = "skipFenceCheck";

	/** The leader ignores its local deadline. */
	public static final String IGNORE_DEADLINE = "ignoreDeadline";

	/** Renewals are unconditional. */
	public static final String UNCONDITIONAL_RENEW = "unconditionalRenew";

	private static final Set<String> ENABLED = ConcurrentHashMap.newKeySet();

	private static volatile boolean any;

	static {
		String configured = System.getProperty("hedge.failpoints", "");
		for (String name : configured.split(",")) {
			if (!name.isBlank()) {
				enable(name.trim());
			}
		}
	}

	private Failpoints() {
	}

	/**
	 * Whether a failpoint is on.
	 * @param name the failpoint
	 * @return whether it is enabled
	 */
	public static boolean enabled(String name) {
		return any && ENABLED.contains(name);
	}

	/**
	 * Turns a failpoint on.
	 * @param name the failpoint
	 */
	public static void enable(String name) {
		ENABLED.add(name);
		any = true;
		org.slf4j.LoggerFactory.getLogger(Failpoints.class).warn("FAILPOINT {} ENABLED: a safety mechanism is broken on purpose", name);
	}

	/**
	 * Turns a failpoint off.
	 * @param name the failpoint
	 */
	public static void disable(String name) {
		ENABLED.remove(name);
		any = !ENABLED.isEmpty();
	}

}
