package dev.hedge.replicator;

import dev.hedge.crdt.ReplicatedData;

/**
 * What a consistent update that changed nothing on this member (a retry) ships so that enough members surely hold
 * it: the part of the current value the update is about (a set's element, a map's key), or the whole value.
 *
 * @param <T> the value type
 */
@FunctionalInterface
interface Witness<T> {

	/** The whole value. */
	@SuppressWarnings("rawtypes")
	Witness WHOLE = (value) -> (ReplicatedData<?>) value;

	/**
	 * @param current this member's value (not null)
	 * @return a value below it to ship, or null for nothing
	 */
	ReplicatedData<?> of(T current);

	@SuppressWarnings("unchecked")
	static <T> Witness<T> whole() {
		return WHOLE;
	}

	/** The given parts of the value. */
	static <T> Witness<T> parts(DataType<?> type, byte[]... ids) {
		return (value) -> Parts.select(type, (ReplicatedData<?>) value, java.util.List.of(ids));
	}

}
