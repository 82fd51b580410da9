package dev.hedge.election;

/**
 * A contender's claim on the lease.
 *
 * @param holder the contender's node id
 * @param incarnation the contender's incarnation (random per process start)
 * @param leaseMillis the lease it promises to renew within (stored in the row)
 * @param graceMillis the grace G it gives the current holder beyond that holder's promised lease
 */
public record LeaseClaim(String holder, String incarnation, long leaseMillis, long graceMillis) {

}
