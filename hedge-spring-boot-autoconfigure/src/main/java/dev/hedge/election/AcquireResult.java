package dev.hedge.election;

/**
 * Outcome of {@link LeaseStore#tryAcquire}.
 *
 * @param acquired whether the claim won (then {@code record.epoch()} is the new epoch)
 * @param record the row after the transaction
 */
public record AcquireResult(boolean acquired, LeaseRecord record) {

}
