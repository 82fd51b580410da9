package dev.hedge.common;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.LoggerFactory;

/**
 * Named faults for hedge's own chaos tests (negative controls, in the style of etcd's gofail): each breaks one safety
 * mechanism on purpose, so the tests can prove their checkers notice. All are off unless enabled with
 * {@link #enable(String)}, or with the system property {@code hedge.failpoints} (comma-separated names) together with
 * {@code hedge.failpoints.armed=i-know-this-breaks-safety}: a stray {@code -Dhedge.failpoints=…} alone is ignored (and
 * logged as an error), so no single setting can disable fencing. A disabled failpoint costs one volatile read. Never
 * enable them in production.
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

	/** The value {@code hedge.failpoints.armed} must have for {@code hedge.failpoints} to take effect. */
	public static final String ARMED = "i-know-this-breaks-safety";

	static {
		configured(System.getProperty("hedge.failpoints", ""), System.getProperty("hedge.failpoints.armed", ""))
			.forEach(Failpoints::enable);
	}

	private Failpoints() {
	}

	/**
	 * The failpoints the system properties ask for: none unless they are armed.
	 * @param names the {@code hedge.failpoints} value
	 * @param armed the {@code hedge.failpoints.armed} value
	 * @return the names to enable
	 */
	static Set<String> configured(String names, String armed) {
		Set<String> enabled = new LinkedHashSet<>();
		for (String name : names.split(",")) {
			if (!name.isBlank()) {
				enabled.add(name.trim());
			}
		}
		if (!enabled.isEmpty() && !ARMED.equals(armed)) {
			LoggerFactory.getLogger(Failpoints.class)
				.error("hedge.failpoints={} IGNORED: failpoints break safety on purpose and also need"
						+ " -Dhedge.failpoints.armed={}", names, ARMED);
			return Set.of();
		}
		return enabled;
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
		LoggerFactory.getLogger(Failpoints.class)
			.warn("FAILPOINT {} ENABLED: a safety mechanism is broken on purpose", name);
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
