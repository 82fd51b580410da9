/**
 * CRAQ (chain replication with apportioned queries) key/value storage of one chain member: the
 * {@link dev.hedge.chain.ChainStore} SPI (committed and pending versions per key, exactly-once write ids, version
 * reads for dirty keys, paged scans for catch-up), its rules implemented once in
 * {@link dev.hedge.chain.AbstractChainStore}, and {@link dev.hedge.chain.InMemoryChainStore}. The file-backed store
 * is {@code dev.hedge.store.mvstore.MvStoreChainStore}.
 *
 * <p>Spring-free, and free of protobuf, gRPC, SQL and H2: the chain protocol built on it brings the transport, the
 * stores in {@code dev.hedge.store.*} the storage.
 */
package dev.hedge.chain;
