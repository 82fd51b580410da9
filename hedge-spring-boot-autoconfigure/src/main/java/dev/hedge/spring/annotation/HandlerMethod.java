package dev.hedge.spring.annotation;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;

import dev.hedge.messaging.InboundMessage;
import dev.hedge.messaging.MessageHandler;
import dev.hedge.spring.HedgeValueConverter;

/**
 * A validated {@link LeaderHandler @LeaderHandler} or {@link BroadcastHandler @BroadcastHandler} method, turned into
 * a {@link MessageHandler} once the value converter is known ({@link #toMessageHandler}).
 */
final class HandlerMethod {

	private final Class<? extends Annotation> annotation;

	private final Method method;

	private final Object bean;

	private final Method invocable;

	private final int payloadIndex;

	private final int messageIndex;

	private HandlerMethod(Class<? extends Annotation> annotation, Method method, Object bean, Method invocable,
			int payloadIndex, int messageIndex) {
		this.annotation = annotation;
		this.method = method;
		this.bean = bean;
		this.invocable = invocable;
		this.payloadIndex = payloadIndex;
		this.messageIndex = messageIndex;
	}

	/**
	 * Validates an annotated method.
	 * @param annotation {@code LeaderHandler} or {@code BroadcastHandler}
	 * @param method the annotated method of the target class
	 * @param bean the bean as exposed (possibly a proxy)
	 * @param beanName its name
	 * @return the handler method
	 * @throws IllegalStateException naming the method and the rule it breaks
	 */
	static HandlerMethod of(Class<? extends Annotation> annotation, Method method, Object bean, String beanName) {
		AnnotatedMethods.requireInstanceMethod(annotation, method);
		int payloadIndex = -1;
		int messageIndex = -1;
		Class<?>[] types = method.getParameterTypes();
		for (int i = 0; i < types.length; i++) {
			boolean message = types[i] == InboundMessage.class;
			if ((message && messageIndex >= 0) || (!message && payloadIndex >= 0)) {
				throw AnnotatedMethods.invalid(annotation, method,
						"at most one payload parameter (byte[], String or a JSON-mapped type) and one InboundMessage");
			}
			if (message) {
				messageIndex = i;
			}
			else {
				payloadIndex = i;
			}
		}
		Method invocable = AnnotatedMethods.invocable(annotation, method, bean, beanName);
		return new HandlerMethod(annotation, method, bean, invocable, payloadIndex, messageIndex);
	}

	String description() {
		return AnnotatedMethods.describe(this.method);
	}

	/**
	 * The type needing the value converter, if any.
	 * @return the payload or return type read or written with the converter, or {@code null} if none is
	 */
	Class<?> convertedType() {
		if (this.payloadIndex >= 0 && !isRaw(this.method.getParameterTypes()[this.payloadIndex])) {
			return this.method.getParameterTypes()[this.payloadIndex];
		}
		Class<?> returnType = this.method.getReturnType();
		return (returnType == void.class || returnType == Void.class || isRaw(returnType)) ? null : returnType;
	}

	private static boolean isRaw(Class<?> type) {
		return type == byte[].class || type == String.class;
	}

	/**
	 * The handler to register.
	 * @param converter the value converter ({@code null} only if {@link #convertedType()} is)
	 * @return the handler
	 */
	MessageHandler toMessageHandler(HedgeValueConverter converter) {
		if (converter == null && convertedType() != null) {
			throw AnnotatedMethods.invalid(this.annotation, this.method, convertedType().getName()
					+ " needs a HedgeValueConverter bean to be read or written; add Jackson or declare one");
		}
		return new Adapter(this, converter);
	}

	@Override
	public String toString() {
		return "@" + this.annotation.getSimpleName() + " " + description();
	}

	/** Calls the method with each message: decodes the payload, encodes the reply. */
	private static final class Adapter implements MessageHandler {

		private final HandlerMethod handler;

		private final Class<?> payloadType;

		private final HedgeValueConverter converter;

		Adapter(HandlerMethod handler, HedgeValueConverter converter) {
			this.handler = handler;
			this.payloadType = (handler.payloadIndex >= 0) ? handler.method.getParameterTypes()[handler.payloadIndex]
					: null;
			this.converter = converter;
		}

		@Override
		public byte[] handle(InboundMessage message) throws Exception {
			Object[] args = new Object[this.handler.method.getParameterCount()];
			if (this.handler.messageIndex >= 0) {
				args[this.handler.messageIndex] = message;
			}
			if (this.handler.payloadIndex >= 0) {
				args[this.handler.payloadIndex] = read(message.payload());
			}
			return write(AnnotatedMethods.invoke(this.handler.invocable, this.handler.bean, args));
		}

		private Object read(byte[] payload) {
			if (this.payloadType == byte[].class) {
				return payload;
			}
			String text = new String(payload, StandardCharsets.UTF_8);
			return (this.payloadType == String.class) ? text : this.converter.read(text, this.payloadType);
		}

		private byte[] write(Object result) {
			if (result == null || result instanceof byte[]) {
				return (byte[]) result;
			}
			if (result instanceof String text) {
				return text.getBytes(StandardCharsets.UTF_8);
			}
			if (this.converter == null) {
				throw new IllegalStateException(this.handler + " returned a " + result.getClass().getName()
						+ " but there is no HedgeValueConverter to write it");
			}
			return this.converter.write(result).getBytes(StandardCharsets.UTF_8);
		}

		@Override
		public String toString() {
			return this.handler.toString();
		}

	}

}
