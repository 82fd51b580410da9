package dev.hedge.spring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.hedge.common.HedgeException;

/** {@link HedgeValueConverter} with Jackson (JSON). Thread-safe. */
public class JacksonValueConverter implements HedgeValueConverter {

	private final ObjectMapper mapper;

	/**
	 * Creates the converter.
	 * @param mapper the mapper
	 */
	public JacksonValueConverter(ObjectMapper mapper) {
		this.mapper = mapper;
	}

	@Override
	public String write(Object value) {
		try {
			return this.mapper.writeValueAsString(value);
		}
		catch (JsonProcessingException ex) {
			throw new HedgeException("cannot write " + value.getClass().getName() + " as JSON: " + ex.getMessage(), ex);
		}
	}

	@Override
	public <T> T read(String text, Class<T> type) {
		try {
			return this.mapper.readValue(text, type);
		}
		catch (JsonProcessingException ex) {
			throw new HedgeException("cannot read " + type.getName() + " from JSON: " + ex.getOriginalMessage(), ex);
		}
	}

}
