package dev.hedge.replicator;

/**
 * Not enough members confirmed a {@link Consistency#majority MAJORITY} or {@link Consistency#all ALL} operation
 * within its timeout (or too few members could answer at all). For a write this does not mean the update failed or
 * was rolled back: it is applied on this member and may have reached others, and it spreads to every member in the
 * background (as Pekko's {@code UpdateTimeout}). For a read, the value this member holds is still available through
 * a {@link Consistency#local() LOCAL} read.
 */
public class ReplicationTimeoutException extends ReplicationException {

	private static final long serialVersionUID = 1L;

	private final int confirmed;

	private final int required;

	/**
	 * Creates the exception.
	 * @param message what was not confirmed
	 * @param confirmed how many members (this one included) confirmed
	 * @param required how many were needed
	 */
	public ReplicationTimeoutException(String message, int confirmed, int required) {
		super(message + " (" + confirmed + " of the " + required + " members needed confirmed)");
		this.confirmed = confirmed;
		this.required = required;
	}

	/**
	 * How many members (this one included) confirmed.
	 * @return the count
	 */
	public int confirmed() {
		return this.confirmed;
	}

	/**
	 * How many members the consistency level needed.
	 * @return the count
	 */
	public int required() {
		return this.required;
	}

}
