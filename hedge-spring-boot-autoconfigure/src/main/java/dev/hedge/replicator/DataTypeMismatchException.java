package dev.hedge.replicator;

/**
 * A name is used with another type than the one this member holds under it (for example {@code counter("x")} after
 * {@code set("x", String.class)}). Names are shared by the whole group: every member must use a name with one type.
 */
public class DataTypeMismatchException extends ReplicationException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param name the name
	 * @param held the type held under it
	 * @param asked the type asked for
	 */
	public DataTypeMismatchException(String name, DataType<?> held, DataType<?> asked) {
		super("'" + name + "' holds a " + held + ", not a " + asked);
	}

}
