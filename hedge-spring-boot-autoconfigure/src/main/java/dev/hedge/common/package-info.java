/**
 * Types shared by every hedge feature: the exception hierarchy, the monotonic {@link dev.hedge.common.Ticker} and
 * thread naming. Spring-free.
 */
package dev.hedge.common;
