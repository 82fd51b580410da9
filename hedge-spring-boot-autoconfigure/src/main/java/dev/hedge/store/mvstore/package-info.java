/**
 * The file-backed {@link dev.hedge.chain.ChainStore} of a chain member,
 * {@link dev.hedge.store.mvstore.MvStoreChainStore}, on H2's MVStore (already a hedge dependency through
 * {@code com.h2database:h2}). Spring-free; this package and the other store adapters are the only users of
 * {@code org.h2}.
 */
package dev.hedge.store.mvstore;
