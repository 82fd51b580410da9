package dev.hedge.spring.annotation;

import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.annotation.Schedules;
import org.springframework.scheduling.support.CronTrigger;
import org.springframework.util.StringUtils;
import org.springframework.util.StringValueResolver;

import dev.hedge.election.LeadershipEvent;

/**
 * A validated scheduled {@link OnLeader @OnLeader} method: its schedule (placeholders resolved, durations parsed) and
 * how to call it.
 */
final class OnLeaderTask {

	private final Method method;

	private final Object bean;

	private final Method invocable;

	private final boolean takesGrant;

	private final Duration fixedRate;

	private final Duration fixedDelay;

	private final Duration initialDelay;

	private final CronTrigger cron;

	private OnLeaderTask(Method method, Object bean, Method invocable, Duration fixedRate, Duration fixedDelay,
			Duration initialDelay, CronTrigger cron) {
		this.method = method;
		this.bean = bean;
		this.invocable = invocable;
		this.takesGrant = method.getParameterCount() == 1;
		this.fixedRate = fixedRate;
		this.fixedDelay = fixedDelay;
		this.initialDelay = initialDelay;
		this.cron = cron;
	}

	/**
	 * Whether the annotation declares a schedule (else it is a guard).
	 * @param annotation the annotation
	 * @return whether any of {@code fixedRate}, {@code fixedDelay} or {@code cron} is set
	 */
	static boolean isScheduled(OnLeader annotation) {
		return StringUtils.hasText(annotation.fixedRate()) || StringUtils.hasText(annotation.fixedDelay())
				|| StringUtils.hasText(annotation.cron());
	}

	/**
	 * Validates a scheduled method.
	 * @param annotation its annotation
	 * @param method the annotated method of the target class
	 * @param bean the bean as exposed (possibly a proxy)
	 * @param beanName its name
	 * @param resolver resolves {@code ${...}} placeholders (may be {@code null})
	 * @return the task
	 * @throws IllegalStateException naming the method and the rule it breaks
	 */
	static OnLeaderTask of(OnLeader annotation, Method method, Object bean, String beanName,
			StringValueResolver resolver) {
		AnnotatedMethods.requireInstanceMethod(OnLeader.class, method);
		List<String> schedules = new ArrayList<>();
		for (String[] attribute : new String[][] { { "fixedRate", annotation.fixedRate() },
				{ "fixedDelay", annotation.fixedDelay() }, { "cron", annotation.cron() } }) {
			if (StringUtils.hasText(attribute[1])) {
				schedules.add("'" + attribute[0] + "'");
			}
		}
		if (schedules.size() != 1) {
			throw AnnotatedMethods.invalid(OnLeader.class, method,
					"exactly one of 'fixedRate', 'fixedDelay' or 'cron' may be set, found "
							+ String.join(" and ", schedules));
		}
		if (AnnotatedElementUtils.hasAnnotation(method, Scheduled.class)
				|| AnnotatedElementUtils.hasAnnotation(method, Schedules.class)) {
			throw AnnotatedMethods.invalid(OnLeader.class, method,
					"has both a schedule and @Scheduled; either remove @Scheduled, or remove the schedule from "
							+ "@OnLeader to use it as a guard of the @Scheduled method");
		}
		Class<?>[] parameters = method.getParameterTypes();
		if (parameters.length > 1 || (parameters.length == 1 && parameters[0] != LeadershipEvent.class)) {
			throw AnnotatedMethods.invalid(OnLeader.class, method,
					"a scheduled @OnLeader method takes no parameters, or one LeadershipEvent (the grant)");
		}
		boolean cron = StringUtils.hasText(annotation.cron());
		if (cron && StringUtils.hasText(annotation.initialDelay())) {
			throw AnnotatedMethods.invalid(OnLeader.class, method, "'initialDelay' is not supported with 'cron'");
		}
		if (!cron && StringUtils.hasText(annotation.zone())) {
			throw AnnotatedMethods.invalid(OnLeader.class, method, "'zone' is only supported with 'cron'");
		}
		Method invocable = AnnotatedMethods.invocable(OnLeader.class, method, bean, beanName);
		if (cron) {
			return new OnLeaderTask(method, bean, invocable, null, null, null,
					cronTrigger(method, resolve(resolver, annotation.cron()), resolve(resolver, annotation.zone())));
		}
		Duration initialDelay = (StringUtils.hasText(annotation.initialDelay()))
				? duration(method, "initialDelay", resolve(resolver, annotation.initialDelay()), true) : Duration.ZERO;
		if (StringUtils.hasText(annotation.fixedRate())) {
			return new OnLeaderTask(method, bean, invocable,
					duration(method, "fixedRate", resolve(resolver, annotation.fixedRate()), false), null, initialDelay,
					null);
		}
		return new OnLeaderTask(method, bean, invocable, null,
				duration(method, "fixedDelay", resolve(resolver, annotation.fixedDelay()), false), initialDelay, null);
	}

	private static String resolve(StringValueResolver resolver, String value) {
		String resolved = (resolver != null) ? resolver.resolveStringValue(value) : value;
		return (resolved != null) ? resolved.trim() : "";
	}

	private static Duration duration(Method method, String attribute, String value, boolean zeroAllowed) {
		Duration duration;
		try {
			duration = DurationStyle.detectAndParse(value);
		}
		catch (IllegalArgumentException ex) {
			throw AnnotatedMethods.invalid(OnLeader.class, method, "'" + attribute + "' is \"" + value
					+ "\", not a duration (use e.g. 5s, 100ms, PT1M or a number of milliseconds)");
		}
		if (duration.isNegative() || (!zeroAllowed && duration.isZero())) {
			throw AnnotatedMethods.invalid(OnLeader.class, method, "'" + attribute + "' must be "
					+ ((zeroAllowed) ? "zero or more" : "positive") + ", was " + value);
		}
		return duration;
	}

	private static CronTrigger cronTrigger(Method method, String expression, String zone) {
		try {
			return (StringUtils.hasText(zone)) ? new CronTrigger(expression, ZoneId.of(zone))
					: new CronTrigger(expression);
		}
		catch (RuntimeException ex) {
			throw AnnotatedMethods.invalid(OnLeader.class, method,
					"invalid 'cron' \"" + expression + "\" or 'zone' \"" + zone + "\": " + ex.getMessage());
		}
	}

	/**
	 * Schedules the task's executions.
	 * @param scheduler the scheduler
	 * @param execution one execution (checks leadership, then {@link #invoke})
	 * @return the future to cancel on revoke
	 */
	ScheduledFuture<?> schedule(TaskScheduler scheduler, Runnable execution) {
		if (this.cron != null) {
			return scheduler.schedule(execution, this.cron);
		}
		Instant first = scheduler.getClock().instant().plus(this.initialDelay);
		return (this.fixedRate != null) ? scheduler.scheduleAtFixedRate(execution, first, this.fixedRate)
				: scheduler.scheduleWithFixedDelay(execution, first, this.fixedDelay);
	}

	/**
	 * Calls the method once.
	 * @param grant the grant of the current term
	 * @throws Exception what the method threw
	 */
	void invoke(LeadershipEvent grant) throws Exception {
		if (this.takesGrant) {
			AnnotatedMethods.invoke(this.invocable, this.bean, grant);
		}
		else {
			AnnotatedMethods.invoke(this.invocable, this.bean);
		}
	}

	String description() {
		return AnnotatedMethods.describe(this.method);
	}

	@Override
	public String toString() {
		String schedule = (this.cron != null) ? "cron " + this.cron.getExpression()
				: ((this.fixedRate != null) ? "fixedRate " + this.fixedRate : "fixedDelay " + this.fixedDelay);
		return "@OnLeader " + description() + " (" + schedule + ")";
	}

}
