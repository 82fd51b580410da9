package dev.hedge.chain;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What the member-side pieces of a chain share: this member's view, its store (replaced when a new member wipes
 * it), the outgoing calls, the settings, the counts and the two executors ({@code hedge-<group>-chain}, a timer, and
 * {@code hedge-<group>-chain-io-n}, where replies and retries run). Thread-safe.
 */
final class ChainParts {

	final String group;

	final ChainView view;

	final ChainClient client;

	final ChainOptions options;

	final Counters counters = new Counters();

	final ScheduledExecutorService timer;

	final ExecutorService io;

	/** The largest value a write may carry: the store's limit, capped below the gRPC message limit. */
	final int maxValueBytes;

	private volatile ChainStore store;

	ChainParts(String group, ChainView view, ChainStore store, ChainClient client, ChainOptions options,
			ScheduledExecutorService timer, ExecutorService io, int maxValueBytes) {
		this.group = group;
		this.view = view;
		this.store = store;
		this.client = client;
		this.options = options;
		this.timer = timer;
		this.io = io;
		this.maxValueBytes = maxValueBytes;
	}

	ChainStore store() {
		return this.store;
	}

	void replaceStore(ChainStore store) {
		this.store = store;
	}

	ChainMember self() {
		return this.view.self();
	}

	Duration hop() {
		return this.options.hopTimeout();
	}

	/** Runs a task on the I/O threads after a delay; nothing once closed. */
	void later(Runnable task, long delayMillis) {
		try {
			this.timer.schedule(() -> run(task), delayMillis, TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// closed
		}
	}

	/** Runs a task on the I/O threads; nothing once closed. */
	void run(Runnable task) {
		try {
			this.io.execute(task);
		}
		catch (RejectedExecutionException ex) {
			// closed
		}
	}

}
