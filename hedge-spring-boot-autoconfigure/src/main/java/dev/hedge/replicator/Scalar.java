package dev.hedge.replicator;

import java.nio.charset.StandardCharsets;

/** The scalar types of set elements, map keys and register values: {@link String} and {@link Long}. */
enum Scalar {

	STRING(String.class), INT64(Long.class);

	private final Class<?> type;

	Scalar(Class<?> type) {
		this.type = type;
	}

	static Scalar of(Class<?> type) {
		for (Scalar scalar : values()) {
			if (scalar.type.equals(type)) {
				return scalar;
			}
		}
		throw new IllegalArgumentException("Replicated data holds String and Long elements, keys and register values,"
				+ " not " + type.getName());
	}

	Class<?> type() {
		return this.type;
	}

	/** Checks a value of this type; its encoded size must stay below {@code maxBytes}. */
	Object check(Object value, int maxBytes) {
		if (!this.type.isInstance(value)) {
			throw new IllegalArgumentException("Expected a " + this.type.getSimpleName() + ", got "
					+ ((value != null) ? value.getClass().getName() : "null"));
		}
		if (this == STRING && ((String) value).length() > maxBytes / 3
				&& ((String) value).getBytes(StandardCharsets.UTF_8).length > maxBytes) {
			throw new ReplicatedValueTooLargeException("A string of " + ((String) value).length()
					+ " characters is over the " + maxBytes + "-byte limit of one element, key or register value");
		}
		return value;
	}

	/** The bytes that name a part for this element (distinct for distinct elements, never empty). */
	byte[] partId(Object value) {
		if (this == STRING) {
			byte[] utf8 = ((String) value).getBytes(StandardCharsets.UTF_8);
			byte[] id = new byte[utf8.length + 1];
			id[0] = 's';
			System.arraycopy(utf8, 0, id, 1, utf8.length);
			return id;
		}
		long n = (Long) value;
		byte[] id = new byte[9];
		id[0] = 'n';
		for (int i = 0; i < 8; i++) {
			id[1 + i] = (byte) (n >>> (56 - 8 * i));
		}
		return id;
	}

	/** The element a part id names, or null if it names none of this type. */
	Object fromPartId(byte[] id) {
		if (this == STRING && id.length >= 1 && id[0] == 's') {
			return new String(id, 1, id.length - 1, StandardCharsets.UTF_8);
		}
		if (this == INT64 && id.length == 9 && id[0] == 'n') {
			long n = 0;
			for (int i = 0; i < 8; i++) {
				n = (n << 8) | (id[1 + i] & 0xff);
			}
			return n;
		}
		return null;
	}

	String id() {
		return (this == STRING) ? "string" : "long";
	}

}
