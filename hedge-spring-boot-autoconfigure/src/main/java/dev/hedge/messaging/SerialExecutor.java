package dev.hedge.messaging;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/** Runs tasks one at a time, in submission order, on a shared pool. Thread-safe. */
final class SerialExecutor implements Executor {

	private final Queue<Runnable> tasks = new ArrayDeque<>();

	private final Executor pool;

	private boolean running;

	SerialExecutor(Executor pool) {
		this.pool = pool;
	}

	@Override
	public void execute(Runnable task) {
		synchronized (this) {
			this.tasks.add(task);
			if (this.running) {
				return;
			}
			this.running = true;
		}
		this.pool.execute(this::drain);
	}

	private void drain() {
		while (true) {
			Runnable next;
			synchronized (this) {
				next = this.tasks.poll();
				if (next == null) {
					this.running = false;
					return;
				}
			}
			try {
				next.run();
			}
			catch (RuntimeException ex) {
				org.slf4j.LoggerFactory.getLogger(SerialExecutor.class).error("Stream task failed", ex);
			}
		}
	}

}
