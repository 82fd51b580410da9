package dev.hedge.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a bean method only while this member leads the group. Two uses, told apart by the schedule attributes.
 *
 * <p><b>A leader-only scheduled task</b>, with exactly one of {@link #fixedRate()}, {@link #fixedDelay()} or
 * {@link #cron()}:
 *
 * <pre class="code">
 * &#064;OnLeader(fixedRate = "${reports.interval:30s}")
 * void publishReport(LeadershipEvent grant) {
 *     this.reports.publish(grant.epoch());
 * }
 * </pre>
 *
 * The task is scheduled when this member is granted leadership (the first run after {@link #initialDelay()}), and
 * cancelled when leadership is revoked and when the application shuts down: a running execution is interrupted, and
 * the revoke waits for it to end (up to {@code hedge.election.store-timeout}). On shutdown the node releases the lease
 * only after that, so a task that honours interrupts never runs on two members at once across a rolling restart.
 * Each execution also first checks that this member still leads in the granted term, and is skipped otherwise. The method takes no parameters, or one
 * {@link dev.hedge.election.LeadershipEvent}: the grant, whose {@code epoch()} is the term's fencing token. Its return
 * value is ignored; an exception is logged and the next execution runs as planned. Tasks run on the registry's pool
 * {@code hedge-on-leader-n} ({@code hedge.on-leader.pool-size} threads, shared by every task, so a task never
 * overlaps itself but long tasks delay others). The method must not also carry {@code @Scheduled}.
 *
 * <p><b>A guard</b>, without schedule attributes, on any bean method, typically a {@code @Scheduled} one:
 *
 * <pre class="code">
 * &#064;Scheduled(cron = "0 0 * * * *")
 * &#064;OnLeader
 * void purgeExpired() {
 *     this.repository.purgeExpired();
 * }
 * </pre>
 *
 * A call made while this member does not lead ({@code HedgeNode#isLeader()} is {@code false}, or the node has not
 * started or has closed) is skipped: the method is not invoked and the call returns {@code null}, or
 * {@code Optional.empty()} for an {@code Optional} return type. A guarded method therefore must not return a
 * primitive (other than {@code void}). The guard is checked once per call on the calling thread; a call that started
 * while leading is not interrupted when leadership ends. It is applied by a proxy (JDK or CGLIB), ordered before
 * {@code @Scheduled} processing so scheduled calls go through it; the method must therefore be overridable (not
 * static, private or final) and, on a JDK proxy, declared on an interface, and calls from within the same object
 * bypass it, as with any Spring proxy.
 *
 * <p>Leadership is a lease: a member that is paused or cut off from the store may still run leader-only work for a
 * moment after another member took over (at most until its local lease deadline). Carry the epoch into writes that
 * must be exclusive. Invalid declarations fail startup with a message naming the method and the rule broken. May be
 * used as a meta-annotation.
 *
 * @see LeaderHandler
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface OnLeader {

	/**
	 * Run the task at this fixed rate while leading, measured between the starts of executions (a late execution is
	 * not run twice to catch up; executions of one task never overlap). A duration such as {@code "5s"},
	 * {@code "100ms"} or {@code "PT1M"}, a plain number of milliseconds, or a {@code ${...}} placeholder resolving to
	 * one. Must be positive.
	 * @return the rate, or empty for none
	 */
	String fixedRate() default "";

	/**
	 * Run the task with this fixed delay while leading, measured from the end of one execution to the start of the
	 * next. Same formats as {@link #fixedRate()}. Must be positive.
	 * @return the delay, or empty for none
	 */
	String fixedDelay() default "";

	/**
	 * Run the task on this cron schedule while leading: six fields (second, minute, hour, day of month, month, day
	 * of week) as in Spring's {@code CronExpression}, e.g. {@code "0 0/5 * * * *"}, or a {@code ${...}} placeholder.
	 * A grant does not trigger a run by itself; the next matching time does.
	 * @return the cron expression, or empty for none
	 */
	String cron() default "";

	/**
	 * The time zone of {@link #cron()}, e.g. {@code "Europe/Paris"}; the JVM's default zone when empty. Only with
	 * {@code cron}.
	 * @return the zone id, or empty
	 */
	String zone() default "";

	/**
	 * How long after each grant the first execution of a {@link #fixedRate()} or {@link #fixedDelay()} task runs;
	 * immediately when empty. Same formats as {@link #fixedRate()}; zero or more. Not with {@code cron}.
	 * @return the initial delay, or empty for none
	 */
	String initialDelay() default "";

}
