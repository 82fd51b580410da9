package dev.hedge.chain;

/**
 * Counts of one member's chain operations since it started. A snapshot; the counts may be from slightly different
 * moments.
 *
 * @param writes writes this member's callers completed
 * @param cleanReads linearizable reads served here from a clean key
 * @param dirtyReads linearizable reads served here after a version query to the read tail
 * @param localReads reads served here in {@link ReadMode#LOCAL}
 * @param forwardedReads reads this member's callers had served by another member
 * @param versionQueries version queries this member answered as read tail
 * @param refusals requests this member refused (stale or newer configuration, wrong role, overload, limits)
 * @param reconfigurations configurations this member adopted
 * @param catchUpKeys keys this member copied while catching up
 */
public record ChainStats(long writes, long cleanReads, long dirtyReads, long localReads, long forwardedReads,
		long versionQueries, long refusals, long reconfigurations, long catchUpKeys) {

}
