package dev.hedge.spring.annotation;

import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.Arrays;
import java.util.stream.Collectors;

import org.springframework.aop.support.AopUtils;
import org.springframework.util.ReflectionUtils;

/** Descriptions, startup checks and reflective calls shared by the annotated-method adapters. */
final class AnnotatedMethods {

	private AnnotatedMethods() {
	}

	/**
	 * Describes a method as {@code com.acme.Handlers.handle(String,InboundMessage)}.
	 * @param method the method
	 * @return the description
	 */
	static String describe(Method method) {
		return method.getDeclaringClass().getName() + "." + method.getName() + Arrays.stream(method.getParameterTypes())
			.map(Class::getSimpleName)
			.collect(Collectors.joining(",", "(", ")"));
	}

	/**
	 * The startup failure for a method that breaks a rule.
	 * @param annotation the annotation whose rule is broken
	 * @param method the method
	 * @param rule what is wrong and what to do
	 * @return the exception to throw
	 */
	static IllegalStateException invalid(Class<? extends Annotation> annotation, Method method, String rule) {
		return new IllegalStateException(
				"@" + annotation.getSimpleName() + " method " + describe(method) + ": " + rule);
	}

	/**
	 * Fails unless the method is an instance method.
	 * @param annotation the annotation
	 * @param method the method
	 */
	static void requireInstanceMethod(Class<? extends Annotation> annotation, Method method) {
		if (Modifier.isStatic(method.getModifiers())) {
			throw invalid(annotation, method, "must not be static; declare it as an instance method of the bean");
		}
	}

	/**
	 * The method to call on the bean as exposed (the proxy, if any), made accessible.
	 * @param annotation the annotation, for messages
	 * @param method the annotated method of the target class
	 * @param bean the bean as exposed in the context
	 * @param beanName its name
	 * @return the method to invoke on {@code bean}
	 * @throws IllegalStateException if the proxy cannot call the method
	 */
	static Method invocable(Class<? extends Annotation> annotation, Method method, Object bean, String beanName) {
		if (Modifier.isPrivate(method.getModifiers()) && AopUtils.isAopProxy(bean)) {
			throw invalid(annotation, method, "must not be private, because bean '" + beanName
					+ "' is a proxy that cannot call private methods; make it package-private, protected or public");
		}
		Method invocable;
		try {
			invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
		}
		catch (IllegalStateException ex) {
			if (AopUtils.isJdkDynamicProxy(bean)) {
				throw invalid(annotation, method, "is not declared on any interface of bean '" + beanName
						+ "', a JDK dynamic proxy, so it cannot be called through the proxy; declare it on an "
						+ "interface the bean implements, or use class-based (CGLIB) proxies "
						+ "(spring.aop.proxy-target-class=true)");
			}
			throw invalid(annotation, method, ex.getMessage());
		}
		ReflectionUtils.makeAccessible(invocable);
		return invocable;
	}

	/**
	 * Calls a method, rethrowing what the method itself threw.
	 * @param method the method
	 * @param target the bean
	 * @param args the arguments
	 * @return what the method returned
	 * @throws Exception what the method threw
	 */
	static Object invoke(Method method, Object target, Object... args) throws Exception {
		try {
			return method.invoke(target, args);
		}
		catch (InvocationTargetException ex) {
			Throwable thrown = ex.getTargetException();
			if (thrown instanceof Exception exception) {
				throw exception;
			}
			if (thrown instanceof Error error) {
				throw error;
			}
			throw new UndeclaredThrowableException(thrown);
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException("Cannot call " + describe(method) + ": " + ex.getMessage(), ex);
		}
	}

}
