package dev.hedge.sos;

/**
 * The spill-over store cannot run on this member: Apache Arrow ({@code org.apache.arrow:arrow-vector} and
 * {@code arrow-memory-netty}) is not on the classpath or could not start. The rest of hedge works without it.
 */
public class SosUnavailableException extends SosException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param reason why
	 */
	public SosUnavailableException(String reason) {
		super("the spill-over store is unavailable on this member: " + reason);
	}

}
