/**
 * Checkers run over the histories of a chaos scenario. Each returns a {@link dev.hedge.chaos.check.CheckResult};
 * {@link dev.hedge.chaos.check.Report} runs a list of them and prints and stores a summary.
 *
 * <p>Every checker here must be able to fail: each has unit tests with known-good and known-bad histories.
 */
package dev.hedge.chaos.check;
