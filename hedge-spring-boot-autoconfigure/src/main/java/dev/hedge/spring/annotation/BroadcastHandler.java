package dev.hedge.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the bean method that answers {@code broadcast} on this member: every member's broadcast handler receives the
 * message, and the sender gets one result per member (this one included). An application declares at most one; a
 * second one fails startup naming both methods.
 *
 * <p>Parameters and return value follow the same rules as {@link LeaderHandler @LeaderHandler}: at most one payload
 * parameter ({@code byte[]}, {@code String} as UTF-8, or any other type read with the
 * {@link dev.hedge.spring.HedgeValueConverter}, JSON by default) and at most one
 * {@link dev.hedge.messaging.InboundMessage}, in any order; the reply is {@code byte[]}, {@code String}, empty for
 * {@code void} or {@code null}, or any other type written with the converter.
 *
 * <pre class="code">
 * &#064;BroadcastHandler
 * void evict(String key) {
 *     this.cache.evict(key);
 * }
 * </pre>
 *
 * <p>Threading: called on the gRPC server's threads (on the caller's thread for this member's own copy), possibly
 * concurrently; the method must be thread-safe. A thrown exception becomes that member's failed
 * {@link dev.hedge.messaging.BroadcastResult} (a {@link dev.hedge.messaging.HandlerFailedException} with its type and
 * message); the other members' results are unaffected. Broadcasts are not retried, but a caller may broadcast again
 * after a partial failure, so idempotent handlers are easier to use.
 *
 * <p>The method must be on a singleton bean, must not be static, and on a proxied bean must be callable through the
 * proxy. May be used as a meta-annotation.
 *
 * @see LeaderHandler
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface BroadcastHandler {

}
