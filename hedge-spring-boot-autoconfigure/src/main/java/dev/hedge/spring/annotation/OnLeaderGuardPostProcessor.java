package dev.hedge.spring.annotation;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.Advisor;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;

import dev.hedge.HedgeNode;

/**
 * Applies the {@link OnLeader @OnLeader} guard: proxies beans that have guard methods ({@code @OnLeader} without a
 * schedule) with an interceptor that calls the method only while the node leads ({@code HedgeNode#isLeader()}), and
 * otherwise returns {@code null} ({@code Optional.empty()} for {@code Optional} methods) without calling it.
 *
 * <p>Ordered at {@link #ORDER}, ahead of {@code @Scheduled} processing (which invokes through the exposed proxy) and
 * of other advising post-processors at the default order; on a bean another post-processor already proxied, the
 * guard is added in front of the existing advisors, so a skipped call runs no other advice (no transaction is
 * opened, for example). Works with JDK and CGLIB proxies; which one is created for a bean that is not proxied yet
 * follows {@link #setProxyTargetClass(boolean)} ({@code spring.aop.proxy-target-class}, CGLIB by default).
 */
public class OnLeaderGuardPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor {

	/** Post-processor order: ahead of {@code @Scheduled} processing and of advisors at the lowest precedence. */
	public static final int ORDER = Ordered.LOWEST_PRECEDENCE - 100;

	private static final Logger logger = LoggerFactory.getLogger(OnLeaderGuardPostProcessor.class);

	/**
	 * Creates the post-processor.
	 * @param node the node whose leadership guards the calls, looked up at the first guarded call; while there is
	 * none, or it has not started or has closed, every guarded call is skipped
	 */
	public OnLeaderGuardPostProcessor(ObjectProvider<HedgeNode> node) {
		this.advisor = new DefaultPointcutAdvisor(new GuardPointcut(), new GuardInterceptor(new Leading(node)));
		setBeforeExistingAdvisors(true);
		setOrder(ORDER);
	}

	/**
	 * Whether an exposed bean carries the guard.
	 * @param bean the bean as exposed in the context
	 * @return whether one of its advisors is the {@code @OnLeader} guard
	 */
	static boolean isGuarded(Object bean) {
		if (bean instanceof Advised advised) {
			for (Advisor advisor : advised.getAdvisors()) {
				if (advisor.getAdvice() instanceof GuardInterceptor) {
					return true;
				}
			}
		}
		return false;
	}

	/**
	 * Whether a method is a guard method: {@code @OnLeader} without a schedule.
	 * @param method the method
	 * @return whether it is guarded
	 */
	static boolean isGuardMethod(Method method) {
		OnLeader annotation = AnnotatedElementUtils.findMergedAnnotation(method, OnLeader.class);
		return annotation != null && !OnLeaderTask.isScheduled(annotation);
	}

	/** Matches the guard methods of a class (found on the class or the interface method that is called). */
	private static final class GuardPointcut extends StaticMethodMatcherPointcut {

		GuardPointcut() {
			setClassFilter((type) -> AnnotationUtils.isCandidateClass(type, OnLeader.class));
		}

		@Override
		public boolean matches(Method method, Class<?> targetClass) {
			if (Modifier.isStatic(method.getModifiers())) {
				return false;
			}
			Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
			return isGuardMethod(specific) || (specific != method && isGuardMethod(method));
		}

	}

	/** Whether the node leads, answered from memory. */
	private static final class Leading implements BooleanSupplier {

		private final ObjectProvider<HedgeNode> provider;

		private volatile HedgeNode node;

		Leading(ObjectProvider<HedgeNode> provider) {
			this.provider = provider;
		}

		@Override
		public boolean getAsBoolean() {
			HedgeNode current = this.node;
			if (current == null) {
				current = this.provider.getIfUnique();
				if (current == null) {
					return false;
				}
				this.node = current;
			}
			return current.isRunning() && current.isLeader();
		}

	}

	/** Proceeds only while leading. */
	private static final class GuardInterceptor implements MethodInterceptor {

		private final BooleanSupplier leading;

		GuardInterceptor(BooleanSupplier leading) {
			this.leading = leading;
		}

		@Override
		public Object invoke(MethodInvocation invocation) throws Throwable {
			if (this.leading.getAsBoolean()) {
				return invocation.proceed();
			}
			if (logger.isTraceEnabled()) {
				logger.trace("Skipped {}: this member does not lead",
						AnnotatedMethods.describe(invocation.getMethod()));
			}
			return (invocation.getMethod().getReturnType() == Optional.class) ? Optional.empty() : null;
		}

	}

}
