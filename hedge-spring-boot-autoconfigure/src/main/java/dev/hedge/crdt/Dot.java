package dev.hedge.crdt;

/**
 * One event of one replica: the {@code counter}-th event of {@code replica} (counting from 1). Causal types tag
 * their entries with dots and remember the dots they have seen in a {@link CausalContext}. Immutable and
 * thread-safe.
 *
 * @param replica the replica that made the event
 * @param counter the event's number, at least 1
 */
public record Dot(String replica, long counter) {

	/**
	 * Validates the dot.
	 * @param replica the replica that made the event
	 * @param counter the event's number, at least 1
	 */
	public Dot {
		Replicas.check(replica);
		if (counter < 1) {
			throw new IllegalArgumentException("A dot's counter starts at 1, got " + counter);
		}
	}

	@Override
	public String toString() {
		return this.replica + ":" + this.counter;
	}

}
