package dev.hedge.common;

/**
 * Invalid or contradictory configuration, detected at start. The message always names the {@code hedge.*} property
 * at fault (also when hedge runs without Spring, so the fix is the same everywhere).
 */
public class HedgeConfigurationException extends HedgeException {

	private static final long serialVersionUID = 1L;

	private final String property;

	/**
	 * Creates the exception.
	 * @param property the property at fault, e.g. {@code hedge.election.lease-duration}
	 * @param message what is wrong with it (the property name is prefixed)
	 */
	public HedgeConfigurationException(String property, String message) {
		super(property + ": " + message);
		this.property = property;
	}

	/**
	 * The property at fault.
	 * @return the property name
	 */
	public String getProperty() {
		return this.property;
	}

}
