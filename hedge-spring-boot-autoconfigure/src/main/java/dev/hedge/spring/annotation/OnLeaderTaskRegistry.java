package dev.hedge.spring.annotation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.Assert;

import dev.hedge.HedgeNode;
import dev.hedge.election.LeadershipEvent;
import dev.hedge.election.LeadershipListener;
import dev.hedge.spring.HedgeLifecycle;

/**
 * Runs the scheduled {@link OnLeader @OnLeader} tasks while this member leads: schedules every task when leadership
 * is granted, cancels them when it is revoked, and owns the pool they run on.
 *
 * <p>Threading: tasks run on this registry's pool {@code hedge-on-leader-n}, of {@code poolSize} daemon threads
 * shared by every task. Grants and revokes arrive on hedge's leadership-events thread, in order. On revoke, and on
 * {@link #stop()}, every task is cancelled, running executions are interrupted, and the revoke waits up to
 * {@code stopTimeout} for them to end. When the node closes, it releases the lease only after its revoke listeners
 * return (within {@code hedge.election.store-timeout}), so a task that honours interrupts never runs on two members
 * at once across a graceful shutdown. ({@code HedgeNode#yieldLeadership()} releases without waiting for listeners.) Each execution also checks, before calling the method, that this member still leads in the
 * term it was scheduled for, and is skipped otherwise (leadership can lapse at the local lease deadline before the
 * revoke is delivered). An execution that throws is logged; the next one runs as planned.
 *
 * <p>Lifecycle phase {@link #PHASE}: starts just before the node and stops just after it. A grant delivered before
 * {@link #start()} is remembered and its tasks start then.
 */
public class OnLeaderTaskRegistry implements SmartLifecycle {

	/** Lifecycle phase: one below {@link HedgeLifecycle#PHASE}, so the registry runs before the node starts. */
	public static final int PHASE = HedgeLifecycle.PHASE - 1;

	/** Prefix of the pool's thread names. */
	public static final String THREAD_NAME_PREFIX = "hedge-on-leader-";

	private static final Logger logger = LoggerFactory.getLogger(OnLeaderTaskRegistry.class);

	private final HedgeNode node;

	private final int poolSize;

	private final Duration stopTimeout;

	private final ReentrantLock lock = new ReentrantLock();

	/** Signalled when {@link #executing} drops to zero. */
	private final Condition idle = this.lock.newCondition();

	private final List<OnLeaderTask> tasks = new ArrayList<>();

	private final List<ScheduledFuture<?>> futures = new ArrayList<>();

	private final LeadershipListener listener = new LeadershipListener() {

		@Override
		public void onGranted(LeadershipEvent event) {
			granted(event);
		}

		@Override
		public void onRevoked(LeadershipEvent event) {
			revoked(event);
		}

	};

	private ThreadPoolTaskScheduler scheduler;

	/** The grant of the current term, while this member leads. */
	private LeadershipEvent grant;

	/** The grant the scheduled futures belong to; executions of any other term are skipped. */
	private LeadershipEvent scheduledFor;

	/** Executions past their leadership check and not yet finished. */
	private int executing;

	private boolean running;

	/**
	 * Creates the registry.
	 * @param node the node whose leadership the tasks follow
	 * @param poolSize the number of threads running tasks ({@code hedge.on-leader.pool-size})
	 * @param stopTimeout how long a revoke or stop waits for running executions to end after interrupting them
	 */
	public OnLeaderTaskRegistry(HedgeNode node, int poolSize, Duration stopTimeout) {
		Assert.isTrue(poolSize >= 1, "'poolSize' must be at least 1");
		Assert.notNull(stopTimeout, "'stopTimeout' must not be null");
		this.node = node;
		this.poolSize = poolSize;
		this.stopTimeout = stopTimeout;
	}

	/**
	 * Adds tasks (before the node starts).
	 * @param added the tasks
	 */
	void register(List<OnLeaderTask> added) {
		this.lock.lock();
		try {
			this.tasks.addAll(added);
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * The listener to attach to the node before it starts.
	 * @return the listener
	 */
	LeadershipListener leadershipListener() {
		return this.listener;
	}

	/**
	 * The registered tasks, as descriptions.
	 * @return e.g. {@code @OnLeader com.acme.Jobs.report() (fixedRate PT30S)}
	 */
	public List<String> getTasks() {
		this.lock.lock();
		try {
			return this.tasks.stream().map(OnLeaderTask::toString).toList();
		}
		finally {
			this.lock.unlock();
		}
	}

	private void granted(LeadershipEvent event) {
		this.lock.lock();
		try {
			this.grant = event;
			if (this.running) {
				scheduleAll(event);
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	private void revoked(LeadershipEvent event) {
		this.lock.lock();
		try {
			this.grant = null;
			cancelAll("leadership revoked (epoch " + event.epoch() + ", " + event.reason() + ")");
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public void start() {
		this.lock.lock();
		try {
			if (this.running) {
				return;
			}
			this.running = true;
			if (!this.tasks.isEmpty()) {
				this.scheduler = newScheduler();
			}
			if (this.grant != null) {
				scheduleAll(this.grant);
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public void stop() {
		ThreadPoolTaskScheduler stopping;
		this.lock.lock();
		try {
			if (!this.running) {
				return;
			}
			this.running = false;
			cancelAll("application stopping");
			stopping = this.scheduler;
			this.scheduler = null;
		}
		finally {
			this.lock.unlock();
		}
		if (stopping != null) {
			stopping.shutdown();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	private ThreadPoolTaskScheduler newScheduler() {
		ThreadPoolTaskScheduler created = new ThreadPoolTaskScheduler();
		created.setPoolSize(this.poolSize);
		created.setThreadNamePrefix(THREAD_NAME_PREFIX);
		created.setDaemon(true);
		created.setRemoveOnCancelPolicy(true);
		created.setWaitForTasksToCompleteOnShutdown(false);
		created.setAwaitTerminationMillis(this.stopTimeout.toMillis());
		created.initialize();
		return created;
	}

	/** Called with the lock held. */
	private void scheduleAll(LeadershipEvent event) {
		if (this.scheduler == null || this.scheduledFor == event) {
			return;
		}
		this.scheduledFor = event;
		for (OnLeaderTask task : this.tasks) {
			this.futures.add(task.schedule(this.scheduler, () -> execute(task, event)));
		}
		logger.info("Leading (epoch {}): started {} @OnLeader task(s)", event.epoch(), this.tasks.size());
	}

	/** Called with the lock held; waits (releasing the lock) for running executions to end. */
	private void cancelAll(String why) {
		this.scheduledFor = null;
		if (this.futures.isEmpty() && this.executing == 0) {
			return;
		}
		this.futures.forEach((future) -> future.cancel(true));
		this.futures.clear();
		long remaining = this.stopTimeout.toNanos();
		try {
			while (this.executing > 0) {
				if (remaining <= 0) {
					logger.warn("{} @OnLeader execution(s) still running {} after {}: they ignore interrupts",
							this.executing, this.stopTimeout, why);
					break;
				}
				remaining = this.idle.awaitNanos(remaining);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		logger.info("Stopped @OnLeader tasks: {}", why);
	}

	private void execute(OnLeaderTask task, LeadershipEvent event) {
		this.lock.lock();
		try {
			if (this.scheduledFor != event) {
				return;
			}
			this.executing++;
		}
		finally {
			this.lock.unlock();
		}
		try {
			if (this.node.isLeader() && this.node.epoch() == event.epoch()) {
				task.invoke(event);
			}
			else {
				logger.debug("Skipped {}: no longer leading in epoch {}", task, event.epoch());
			}
		}
		catch (Throwable ex) {
			if (Thread.currentThread().isInterrupted() || ex instanceof InterruptedException) {
				logger.debug("{} interrupted: leadership ended", task, ex);
			}
			else {
				logger.error("{} failed", task, ex);
			}
		}
		finally {
			this.lock.lock();
			try {
				this.executing--;
				if (this.executing == 0) {
					this.idle.signalAll();
				}
			}
			finally {
				this.lock.unlock();
			}
		}
	}

	@Override
	public String toString() {
		return "OnLeaderTaskRegistry " + getTasks();
	}

}
