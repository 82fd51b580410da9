package dev.hedge.replicator;

import dev.hedge.crdt.ReplicatedData;

/**
 * A change of a named replicated value: its value after the change. Immutable.
 *
 * @param name the name
 * @param type its type
 * @param value its value now
 */
public record ReplicatedDataChange(String name, DataType<?> type, ReplicatedData<?> value) {

	/**
	 * The value as a given type.
	 * @param <T> the type
	 * @param type the expected type
	 * @return the value
	 * @throws DataTypeMismatchException if the value is of another type
	 */
	@SuppressWarnings("unchecked")
	public <T extends ReplicatedData<T>> T value(DataType<T> type) {
		if (!this.type.equals(type)) {
			throw new DataTypeMismatchException(this.name, this.type, type);
		}
		return (T) this.value;
	}

}
