package dev.hedge.spring.annotation;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.framework.AopInfrastructureBean;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.framework.autoproxy.AutoProxyUtils;
import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.EmbeddedValueResolverAware;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;
import org.springframework.util.StringValueResolver;

import dev.hedge.HedgeNode;
import dev.hedge.election.LeadershipEvent;
import dev.hedge.messaging.MessageHandler;
import dev.hedge.spring.HedgeValueConverter;

/**
 * Finds the {@link LeaderHandler @LeaderHandler}, {@link BroadcastHandler @BroadcastHandler} and
 * {@link OnLeader @OnLeader} methods of the application's beans, checks their signatures, and registers them with
 * the {@link HedgeNode} before it starts: the handlers as the node's message handlers, the scheduled
 * {@code @OnLeader} methods with the {@link OnLeaderTaskRegistry}, which follows the node's leadership.
 *
 * <p>Each bean is inspected once it is fully initialized, as exposed in the context (after every ordered
 * post-processor, so proxies are in place): the methods of its target class, its superclasses and interfaces are
 * selected with {@link MethodIntrospector} and merged-annotation lookup, classes without annotations are remembered
 * and skipped, and each method is resolved on the exposed bean ({@link AopUtils#selectInvocableMethod}) so handlers
 * and tasks are called through the proxy (JDK or CGLIB). Invalid declarations fail the bean's creation, and so the
 * application's startup, with a message naming the method and the rule broken. Registration happens once every
 * singleton exists ({@link #afterSingletonsInstantiated()}); lazy singletons with annotated methods are created then.
 * Handlers and tasks on beans that are not singletons, or that are created after that point, are rejected.
 */
public class HedgeAnnotationBeanPostProcessor
		implements BeanPostProcessor, SmartInitializingSingleton, BeanFactoryAware, EmbeddedValueResolverAware {

	private static final Logger logger = LoggerFactory.getLogger(HedgeAnnotationBeanPostProcessor.class);

	private static final List<Class<? extends Annotation>> ANNOTATIONS = List.of(LeaderHandler.class,
			BroadcastHandler.class, OnLeader.class);

	private final ObjectProvider<HedgeNode> node;

	private final ObjectProvider<HedgeValueConverter> converter;

	private final ObjectProvider<OnLeaderTaskRegistry> registry;

	private final Set<Class<?>> nonAnnotatedClasses = ConcurrentHashMap.newKeySet(64);

	private ConfigurableListableBeanFactory beanFactory;

	private StringValueResolver resolver;

	private HandlerMethod leaderHandler;

	private HandlerMethod broadcastHandler;

	private final List<OnLeaderTask> tasks = new ArrayList<>();

	private boolean registered;

	/**
	 * Creates the post-processor.
	 * @param node the node to register handlers and tasks with
	 * @param converter reads and writes payloads that are neither {@code byte[]} nor {@code String}
	 * @param registry runs the scheduled {@code @OnLeader} tasks
	 */
	public HedgeAnnotationBeanPostProcessor(ObjectProvider<HedgeNode> node,
			ObjectProvider<HedgeValueConverter> converter, ObjectProvider<OnLeaderTaskRegistry> registry) {
		this.node = node;
		this.converter = converter;
		this.registry = registry;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = (beanFactory instanceof ConfigurableListableBeanFactory listable) ? listable : null;
	}

	@Override
	public void setEmbeddedValueResolver(StringValueResolver resolver) {
		this.resolver = resolver;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof AopInfrastructureBean) {
			return bean;
		}
		Class<?> targetClass = AopProxyUtils.ultimateTargetClass(bean);
		Map<Method, Declared> declared = annotatedMethods(targetClass);
		declared.forEach((method, annotations) -> process(bean, beanName, method, annotations));
		return bean;
	}

	private Map<Method, Declared> annotatedMethods(Class<?> targetClass) {
		if (this.nonAnnotatedClasses.contains(targetClass)
				|| !AnnotationUtils.isCandidateClass(targetClass, ANNOTATIONS)) {
			return Map.of();
		}
		Map<Method, Declared> declared = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<Declared>) Declared::of);
		if (declared.isEmpty()) {
			this.nonAnnotatedClasses.add(targetClass);
		}
		return declared;
	}

	private synchronized void process(Object bean, String beanName, Method method, Declared declared) {
		if (declared.leader() != null) {
			this.leaderHandler = unique(LeaderHandler.class, this.leaderHandler,
					handler(LeaderHandler.class, method, bean, beanName));
		}
		if (declared.broadcast() != null) {
			this.broadcastHandler = unique(BroadcastHandler.class, this.broadcastHandler,
					handler(BroadcastHandler.class, method, bean, beanName));
		}
		if (declared.onLeader() != null) {
			if (OnLeaderTask.isScheduled(declared.onLeader())) {
				OnLeaderTask task = OnLeaderTask.of(declared.onLeader(), method, bean, beanName, this.resolver);
				requireRegistrable(OnLeader.class, method, beanName);
				this.tasks.add(task);
			}
			else {
				checkGuard(declared.onLeader(), method, bean, beanName);
			}
		}
	}

	private HandlerMethod handler(Class<? extends Annotation> annotation, Method method, Object bean,
			String beanName) {
		HandlerMethod handler = HandlerMethod.of(annotation, method, bean, beanName);
		requireRegistrable(annotation, method, beanName);
		return handler;
	}

	private HandlerMethod unique(Class<? extends Annotation> annotation, HandlerMethod existing, HandlerMethod added) {
		if (existing != null) {
			throw new IllegalStateException("@" + annotation.getSimpleName() + " method " + added.description()
					+ ": an application has at most one @" + annotation.getSimpleName() + " method, and "
					+ existing.description() + " is one already");
		}
		return added;
	}

	private void requireRegistrable(Class<? extends Annotation> annotation, Method method, String beanName) {
		if (this.beanFactory != null && this.beanFactory.containsBeanDefinition(beanName)) {
			BeanDefinition definition = this.beanFactory.getMergedBeanDefinition(beanName);
			if (!definition.isSingleton()) {
				throw AnnotatedMethods.invalid(annotation, method, "must be declared on a singleton bean, but bean '"
						+ beanName + "' has scope '" + definition.getScope() + "'");
			}
		}
		if (this.registered) {
			throw AnnotatedMethods.invalid(annotation, method, "bean '" + beanName + "' was created after the "
					+ "application context was refreshed, too late to register with the hedge node; declare the method"
					+ " on a singleton bean that is created at startup");
		}
	}

	private void checkGuard(OnLeader annotation, Method method, Object bean, String beanName) {
		if (StringUtils.hasText(annotation.initialDelay()) || StringUtils.hasText(annotation.zone())) {
			throw AnnotatedMethods.invalid(OnLeader.class, method, "'initialDelay' and 'zone' need a schedule: set "
					+ "'fixedRate', 'fixedDelay' or 'cron' too, or remove them to use @OnLeader as a guard");
		}
		for (Class<?> parameter : method.getParameterTypes()) {
			if (parameter == LeadershipEvent.class) {
				throw AnnotatedMethods.invalid(OnLeader.class, method, "only a scheduled @OnLeader method receives "
						+ "a LeadershipEvent; set 'fixedRate', 'fixedDelay' or 'cron', or remove the parameter");
			}
		}
		String unreachable = unreachableByProxy(method, bean);
		if (unreachable != null) {
			throw AnnotatedMethods.invalid(OnLeader.class, method, "a guard @OnLeader method must not be "
					+ unreachable + ": the guard is a proxy, which cannot intercept it");
		}
		Class<?> returnType = method.getReturnType();
		if (returnType.isPrimitive() && returnType != void.class) {
			throw AnnotatedMethods.invalid(OnLeader.class, method, "a guard @OnLeader method must not return a "
					+ "primitive (" + returnType.getName() + "): a skipped call returns null; return void, "
					+ ClassUtils.resolvePrimitiveIfNecessary(returnType).getSimpleName() + " or an Optional");
		}
		if (!OnLeaderGuardPostProcessor.isGuarded(bean)) {
			throw AnnotatedMethods.invalid(OnLeader.class, method, "bean '" + beanName + "' is not proxied by the "
					+ "@OnLeader guard, so the method would run on every member; the bean was probably created before "
					+ "the hedge post-processors were registered (e.g. as a dependency of a BeanPostProcessor)");
		}
		AnnotatedMethods.invocable(OnLeader.class, method, bean, beanName);
	}

	private static String unreachableByProxy(Method method, Object bean) {
		int modifiers = method.getModifiers();
		if (Modifier.isStatic(modifiers)) {
			return "static";
		}
		if (Modifier.isPrivate(modifiers)) {
			return "private";
		}
		return (Modifier.isFinal(modifiers) && !AopUtils.isJdkDynamicProxy(bean)) ? "final" : null;
	}

	/**
	 * Creates the lazy singletons that declare handlers or tasks, then registers every handler and task with the
	 * node.
	 * @throws BeanInitializationException if the node has already started, or a handler needs a missing converter
	 */
	@Override
	public void afterSingletonsInstantiated() {
		createLazySingletonsWithAnnotations();
		HandlerMethod leader;
		HandlerMethod broadcast;
		List<OnLeaderTask> scheduled;
		synchronized (this) {
			this.registered = true;
			leader = this.leaderHandler;
			broadcast = this.broadcastHandler;
			scheduled = List.copyOf(this.tasks);
		}
		if (leader == null && broadcast == null && scheduled.isEmpty()) {
			return;
		}
		HedgeValueConverter valueConverter = this.converter.getIfAvailable();
		MessageHandler leaderMessageHandler = (leader != null) ? leader.toMessageHandler(valueConverter) : null;
		MessageHandler broadcastMessageHandler = (broadcast != null) ? broadcast.toMessageHandler(valueConverter)
				: null;
		OnLeaderTaskRegistry taskRegistry = (!scheduled.isEmpty()) ? this.registry.getObject() : null;
		if (taskRegistry != null) {
			taskRegistry.register(scheduled);
		}
		try {
			this.node.getObject().beforeStart((config) -> {
				if (leaderMessageHandler != null) {
					if (config.leaderHandler() != null) {
						throw new IllegalStateException(leader + " clashes with a leader handler set through a HedgeNodeCustomizer; keep one");
					}
					config.leaderHandler(leaderMessageHandler);
				}
				if (broadcastMessageHandler != null) {
					if (config.broadcastHandler() != null) {
						throw new IllegalStateException(broadcast + " clashes with a broadcast handler set through a HedgeNodeCustomizer; keep one");
					}
					config.broadcastHandler(broadcastMessageHandler);
				}
				if (taskRegistry != null) {
					config.addLeadershipListener(taskRegistry.leadershipListener());
				}
			});
		}
		catch (IllegalStateException ex) {
			throw new BeanInitializationException("Cannot register hedge's annotated methods: " + ex.getMessage(), ex);
		}
		logger.debug("Registered with the hedge node: leader handler {}, broadcast handler {}, @OnLeader tasks {}",
				leader, broadcast, scheduled);
	}

	private void createLazySingletonsWithAnnotations() {
		if (this.beanFactory == null) {
			return;
		}
		for (String beanName : this.beanFactory.getBeanDefinitionNames()) {
			if (ScopedProxyUtils.isScopedTarget(beanName) || this.beanFactory.containsSingleton(beanName)) {
				continue;
			}
			BeanDefinition definition = this.beanFactory.getMergedBeanDefinition(beanName);
			if (definition.isAbstract() || !definition.isSingleton() || !definition.isLazyInit()) {
				continue;
			}
			Class<?> type = lazyBeanType(beanName);
			if (type != null && annotatedMethods(type).values().stream().anyMatch(Declared::registers)) {
				this.beanFactory.getBean(beanName);
			}
		}
	}

	private Class<?> lazyBeanType(String beanName) {
		try {
			return AutoProxyUtils.determineTargetClass(this.beanFactory, beanName);
		}
		catch (RuntimeException ex) {
			logger.debug("Could not resolve the type of lazy bean '{}'", beanName, ex);
			return null;
		}
	}

	/** The hedge annotations found on one method. */
	private record Declared(LeaderHandler leader, BroadcastHandler broadcast, OnLeader onLeader) {

		static Declared of(Method method) {
			Declared declared = new Declared(AnnotatedElementUtils.findMergedAnnotation(method, LeaderHandler.class),
					AnnotatedElementUtils.findMergedAnnotation(method, BroadcastHandler.class),
					AnnotatedElementUtils.findMergedAnnotation(method, OnLeader.class));
			return (declared.leader != null || declared.broadcast != null || declared.onLeader != null) ? declared
					: null;
		}

		boolean registers() {
			return this.leader != null || this.broadcast != null
					|| (this.onLeader != null && OnLeaderTask.isScheduled(this.onLeader));
		}

	}

}
