/**
 * The storage backends' common contract: {@link dev.hedge.store.HedgeStore} bundles every storage SPI of one
 * database. Adapters live in {@code store.spanner} and {@code store.jdbc}; all SQL lives there. Spring-free.
 */
package dev.hedge.store;
