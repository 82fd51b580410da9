/**
 * What a chaos run records: client operations ({@link dev.hedge.chaos.history.Op}), leadership belief intervals
 * ({@link dev.hedge.chaos.history.Term}), leader-side actions ({@link dev.hedge.chaos.history.Effect}), semaphore
 * holds ({@link dev.hedge.chaos.history.Hold}), takeovers ({@link dev.hedge.chaos.history.Takeover}) and nemesis
 * events ({@link dev.hedge.chaos.history.Fault}), plus their JSON-lines I/O
 * ({@link dev.hedge.chaos.history.HistoryIO}).
 *
 * <p>All {@code *Nanos} fields are readings of {@code System.nanoTime()} (Linux {@code CLOCK_MONOTONIC}), comparable
 * across the processes of one host; {@link java.lang.Long#MAX_VALUE} stands for "never" (an operation that never
 * returned, a term or hold that was never closed). All {@code *Micros} fields are database commit timestamps in
 * microseconds since the epoch, {@code 0} when unknown.
 */
package dev.hedge.chaos.history;
