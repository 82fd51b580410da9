package dev.hedge.spring;

/**
 * Turns application objects into the bytes or text hedge carries, and back: payloads of annotated handlers and values
 * of {@link HedgeKeyValueTemplate}. The default maps with Jackson's {@code ObjectMapper} (JSON); declare a bean of
 * this type to use another format. Implementations must be thread-safe.
 */
public interface HedgeValueConverter {

	/**
	 * Writes a value.
	 * @param value the value (never a String or byte[]: those pass through unchanged)
	 * @return its text form
	 */
	String write(Object value);

	/**
	 * Reads a value.
	 * @param <T> the type
	 * @param text its text form
	 * @param type the type to read
	 * @return the value
	 */
	<T> T read(String text, Class<T> type);

}
