package dev.hedge.chain;

/**
 * Counts of a {@link ChainStore}, for metrics. A snapshot; under concurrent writes the two counts may be from
 * slightly different moments.
 *
 * @param keys keys held (with a committed version, a pending one or both)
 * @param dirtyKeys keys with a pending version
 */
public record ChainStoreStats(long keys, long dirtyKeys) {

}
