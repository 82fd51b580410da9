package dev.hedge.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the bean method that answers {@code send} and {@code sendToLeader} while this member leads: the annotated
 * method becomes the node's leader {@link dev.hedge.messaging.MessageHandler}. An application declares at most one;
 * a second one fails startup naming both methods.
 *
 * <p>Parameters, in any order: at most one <em>payload</em> parameter and at most one
 * {@link dev.hedge.messaging.InboundMessage} (the sender's id and the raw bytes); none at all is fine too. The
 * payload is passed as is for {@code byte[]}, decoded as UTF-8 for {@code String}, and read with the application's
 * {@link dev.hedge.spring.HedgeValueConverter} (JSON by default) for any other type; generic type arguments are not
 * carried, so prefer records and arrays to {@code List<T>}. The return value is the reply: {@code byte[]} as is,
 * {@code String} as UTF-8, {@code void} or {@code null} as an empty reply, any other type written with the converter.
 *
 * <pre class="code">
 * &#064;LeaderHandler
 * Receipt order(Order order, InboundMessage message) {
 *     return this.orders.place(order, message.sender());
 * }
 * </pre>
 *
 * <p>Threading: called on the gRPC server's threads for messages from other members, and on the caller's thread when
 * the leader sends to itself; possibly concurrently, so the method must be thread-safe. An exception thrown by the
 * method (checked or not) reaches the sender as a {@link dev.hedge.messaging.HandlerFailedException} carrying its
 * type and message; the node is unaffected. {@code sendToLeader} retries when a reply is lost or leadership moves, so
 * the same message may be handled more than once, possibly by two successive leaders: make the method idempotent
 * where that matters. Leadership may also end while the method runs; carry the epoch
 * ({@code HedgeNode#leadership().fence()}) into writes that must be exclusive.
 *
 * <p>The method must be on a singleton bean, must not be static, and on a proxied bean must be callable through the
 * proxy (not private; with a JDK proxy, declared on one of its interfaces). Violations fail startup with a message
 * naming the method and the rule broken. May be used as a meta-annotation.
 *
 * @see BroadcastHandler
 * @see OnLeader
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface LeaderHandler {

}
