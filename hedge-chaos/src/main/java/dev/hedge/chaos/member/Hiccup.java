package dev.hedge.chaos.member;

/**
 * A pause a member's hiccup thread noticed (it sleeps 10 ms and logs any over-sleep above 50 ms), jHiccup style.
 *
 * @param member the member
 * @param startNanos when the sleep began
 * @param pauseNanos how much longer than asked it took
 */
public record Hiccup(String member, long startNanos, long pauseNanos) {

}
