package dev.hedge.common;

/**
 * The application's classpath carries libraries hedge cannot run on, detected at start before any of them is used:
 * typically gRPC or protobuf versions that Maven or Gradle resolved without hedge's BOM
 * ({@code dev.hedge:hedge-dependencies}). The message names each library with the version found and the version
 * hedge needs.
 */
public class HedgeDependencyException extends HedgeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param message the libraries found and the versions needed
	 */
	public HedgeDependencyException(String message) {
		super(message);
	}

}
