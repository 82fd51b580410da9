package dev.hedge.common;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thread factory for hedge's threads: every thread is named {@code hedge-<owner>-<role>[-n]}, is a daemon (the owner
 * stops it explicitly; a forgotten owner never keeps the JVM alive), and logs uncaught exceptions.
 */
public final class NamedThreads implements ThreadFactory {

	private static final Logger logger = LoggerFactory.getLogger(NamedThreads.class);

	private final String prefix;

	private final boolean numbered;

	private final AtomicInteger counter = new AtomicInteger();

	private NamedThreads(String prefix, boolean numbered) {
		this.prefix = prefix;
		this.numbered = numbered;
	}

	/**
	 * The owner part of thread names for a group or lock name: characters other than letters, digits, {@code _},
	 * {@code .} and {@code -} become {@code _}.
	 * @param name a group or lock name
	 * @return the sanitised owner
	 */
	public static String owner(String name) {
		return name.replaceAll("[^A-Za-z0-9_.-]", "_");
	}

	/**
	 * A factory for a single thread named exactly {@code hedge-<owner>-<role>}.
	 * @param owner the owning component instance, e.g. the group name
	 * @param role what the thread does
	 * @return the factory
	 */
	public static NamedThreads single(String owner, String role) {
		return new NamedThreads("hedge-" + owner + "-" + role, false);
	}

	/**
	 * A factory for a pool; threads are named {@code hedge-<owner>-<role>-<n>}.
	 * @param owner the owning component instance
	 * @param role what the threads do
	 * @return the factory
	 */
	public static NamedThreads pool(String owner, String role) {
		return new NamedThreads("hedge-" + owner + "-" + role, true);
	}

	@Override
	public Thread newThread(Runnable runnable) {
		String name = this.numbered ? this.prefix + "-" + this.counter.incrementAndGet() : this.prefix;
		Thread thread = new Thread(runnable, name);
		thread.setDaemon(true);
		thread.setUncaughtExceptionHandler((t, ex) -> logger.error("Uncaught exception in {}", t.getName(), ex));
		return thread;
	}

}
