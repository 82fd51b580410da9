package dev.hedge.election;

/**
 * A fencing token: a leader-side write carrying it commits only if, inside the write's own transaction, the lease
 * row of {@code lockName} still holds {@code epoch} and has not been released.
 *
 * @param lockName the lock (the group)
 * @param epoch the epoch the writer leads in
 */
public record Fence(String lockName, long epoch) {

}
