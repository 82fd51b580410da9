package dev.hedge.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** {@code key=value} arguments after the benchmark name, e.g. {@code window=20s callers=8}. */
final class Args {

	private final Map<String, String> values;

	private Args(Map<String, String> values) {
		this.values = values;
	}

	static Args parse(String[] argv) {
		Map<String, String> values = new HashMap<>();
		for (int i = 1; i < argv.length; i++) {
			for (String part : argv[i].trim().split("\\s+")) {
				int eq = part.indexOf('=');
				if (eq > 0) {
					values.put(part.substring(0, eq), part.substring(eq + 1));
				}
			}
		}
		return new Args(values);
	}

	Duration duration(String key, Duration fallback) {
		String value = this.values.get(key);
		if (value == null) {
			return fallback;
		}
		if (value.endsWith("ms")) {
			return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
		}
		if (value.endsWith("s")) {
			return Duration.ofMillis((long) (Double.parseDouble(value.substring(0, value.length() - 1)) * 1000));
		}
		return Duration.ofSeconds(Long.parseLong(value));
	}

	int integer(String key, int fallback) {
		String value = this.values.get(key);
		return (value != null) ? Integer.parseInt(value) : fallback;
	}

	String string(String key, String fallback) {
		return this.values.getOrDefault(key, fallback);
	}

}
