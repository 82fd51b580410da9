package dev.hedge.sos;

/**
 * Records and record bytes in one place. Immutable.
 *
 * @param records how many records
 * @param bytes their bytes (payload only)
 */
public record TierStats(long records, long bytes) {

	/** Nothing. */
	public static final TierStats EMPTY = new TierStats(0, 0);

	/**
	 * The sum of this and another.
	 * @param other the other figures
	 * @return the sum
	 */
	public TierStats plus(TierStats other) {
		return new TierStats(this.records + other.records, this.bytes + other.bytes);
	}

}
