package dev.hedge.chaos.member;

/**
 * A lease renewal that completed after its member had stopped leading in that epoch (a late renewal), as recorded by
 * a member. {@code outcome} is {@code RENEWED} (the renewal changed the lease row), {@code LOST} (it changed nothing)
 * or {@code FAILED}. A late renewal that changed the row after another member had taken over is a stale renewal: the
 * fence on renewals did not hold.
 *
 * @param member the member
 * @param epoch the epoch it renewed
 * @param outcome what the store answered
 * @param sentNanos {@code System.nanoTime()} when it was sent
 * @param doneNanos {@code System.nanoTime()} when its answer arrived
 */
public record Renewal(String member, long epoch, String outcome, long sentNanos, long doneNanos) {

}
