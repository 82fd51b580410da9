package dev.hedge.sos;

/** Another writer of the store is open (one writer at a time per store). */
public class SosWriterBusyException extends SosException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param store the store
	 * @param waited what the caller waited, for the message
	 */
	public SosWriterBusyException(String store, String waited) {
		super("spill-over store '" + store + "' already has an open writer" + waited);
	}

}
