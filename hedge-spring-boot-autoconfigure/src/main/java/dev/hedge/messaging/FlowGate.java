package dev.hedge.messaging;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Guards one side of a gRPC stream (whose observer is not thread-safe) and implements its outbound flow control:
 * a sender waits, up to a deadline, until the transport is ready or the stream stops. The transport's on-ready
 * callback calls {@link #signal()}.
 */
final class FlowGate {

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition ready = this.lock.newCondition();

	void signal() {
		this.lock.lock();
		try {
			this.ready.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	void run(Runnable action) {
		this.lock.lock();
		try {
			action.run();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Waits until {@code isReady} or {@code stopped}, then runs {@code send} (still holding the lock).
	 * @param isReady whether the transport can take a message
	 * @param stopped whether the stream has ended or failed
	 * @param deadlineNanos when to give up ({@link System#nanoTime()} scale)
	 * @param send what to do once ready
	 * @param whenStopped the exception when the stream stopped
	 * @param whenTimedOut the exception when the deadline passed
	 * @param what for the interruption message
	 */
	void sendWhenReady(BooleanSupplier isReady, BooleanSupplier stopped, long deadlineNanos, Runnable send,
			Supplier<RuntimeException> whenStopped, Supplier<RuntimeException> whenTimedOut, String what) {
		this.lock.lock();
		try {
			while (!stopped.getAsBoolean() && !isReady.getAsBoolean()) {
				long left = deadlineNanos - System.nanoTime();
				if (left <= 0) {
					throw whenTimedOut.get();
				}
				this.ready.awaitNanos(left);
			}
			if (stopped.getAsBoolean()) {
				throw whenStopped.get();
			}
			send.run();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new MessagingException("interrupted while " + what, ex, false);
		}
		finally {
			this.lock.unlock();
		}
	}

}
