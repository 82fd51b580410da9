package dev.hedge.sos;

/** The handle, writer or reader is closed, the store was deleted or expired, or the member's SoS is closed. */
public class SosClosedException extends SosException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param message what is closed
	 */
	public SosClosedException(String message) {
		super(message);
	}

}
