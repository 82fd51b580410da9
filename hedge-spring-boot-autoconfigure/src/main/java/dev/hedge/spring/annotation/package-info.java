/**
 * The annotation programming model: {@link dev.hedge.spring.annotation.LeaderHandler @LeaderHandler} and
 * {@link dev.hedge.spring.annotation.BroadcastHandler @BroadcastHandler} turn bean methods into the node's message
 * handlers, {@link dev.hedge.spring.annotation.OnLeader @OnLeader} runs a method only while this member leads (as a
 * leader-only scheduled task, or as a guard on any bean method). Spring glue only; wired by
 * {@code HedgeAnnotationAutoConfiguration}.
 */
package dev.hedge.spring.annotation;
