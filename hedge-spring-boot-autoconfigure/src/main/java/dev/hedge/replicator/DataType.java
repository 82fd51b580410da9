package dev.hedge.replicator;

import java.util.Objects;

import dev.hedge.crdt.GCounter;
import dev.hedge.crdt.GSet;
import dev.hedge.crdt.LWWRegister;
import dev.hedge.crdt.ORMap;
import dev.hedge.crdt.ORSet;
import dev.hedge.crdt.PNCounter;
import dev.hedge.crdt.ReplicatedData;

/**
 * The type of a named replicated value: which {@link ReplicatedData} type it is and, for sets, registers and maps,
 * the type of its elements, value or keys ({@link String} or {@link Long}) and a map's nested value type. Every
 * member must use a name with the same type ({@link DataTypeMismatchException} otherwise). Immutable, with equality
 * by content.
 *
 * @param <T> the value type
 */
public final class DataType<T extends ReplicatedData<T>> {

	private static final DataType<GCounter> G_COUNTER = new DataType<>(Kind.G_COUNTER, null, null);

	private static final DataType<PNCounter> PN_COUNTER = new DataType<>(Kind.PN_COUNTER, null, null);

	private final Kind kind;

	private final Scalar scalar;

	private final DataType<?> value;

	private DataType(Kind kind, Scalar scalar, DataType<?> value) {
		this.kind = kind;
		this.scalar = scalar;
		this.value = value;
	}

	/**
	 * A grow-only counter ({@link GCounter}).
	 * @return the type
	 */
	public static DataType<GCounter> growOnlyCounter() {
		return G_COUNTER;
	}

	/**
	 * A counter that goes up and down ({@link PNCounter}).
	 * @return the type
	 */
	public static DataType<PNCounter> counter() {
		return PN_COUNTER;
	}

	/**
	 * A grow-only set ({@link GSet}).
	 * @param <E> the element type
	 * @param elementType {@code String.class} or {@code Long.class}
	 * @return the type
	 */
	public static <E> DataType<GSet<E>> growOnlySet(Class<E> elementType) {
		return new DataType<>(Kind.G_SET, Scalar.of(elementType), null);
	}

	/**
	 * An observed-remove set where adds win ({@link ORSet}).
	 * @param <E> the element type
	 * @param elementType {@code String.class} or {@code Long.class}
	 * @return the type
	 */
	public static <E> DataType<ORSet<E>> set(Class<E> elementType) {
		return new DataType<>(Kind.OR_SET, Scalar.of(elementType), null);
	}

	/**
	 * A last-writer-wins register ({@link LWWRegister}).
	 * @param <V> the value type
	 * @param valueType {@code String.class} or {@code Long.class}
	 * @return the type
	 */
	public static <V> DataType<LWWRegister<V>> register(Class<V> valueType) {
		return new DataType<>(Kind.LWW_REGISTER, Scalar.of(valueType), null);
	}

	/**
	 * A map of nested values ({@link ORMap}).
	 * @param <K> the key type
	 * @param <V> the nested value type
	 * @param keyType {@code String.class} or {@code Long.class}
	 * @param valueType the nested type: a counter or a set (not a register, which has no empty value, nor a map)
	 * @return the type
	 */
	public static <K, V extends ReplicatedData<V>> DataType<ORMap<K, V>> map(Class<K> keyType, DataType<V> valueType) {
		Objects.requireNonNull(valueType, "valueType");
		if (!valueType.nestable()) {
			throw new IllegalArgumentException("A map's values are counters or sets, not a " + valueType);
		}
		return new DataType<>(Kind.OR_MAP, Scalar.of(keyType), valueType);
	}

	/** A type read from the wire; the parts must be consistent (the codec checks them). */
	@SuppressWarnings({ "unchecked", "rawtypes" })
	static DataType<?> of(Kind kind, Scalar scalar, DataType<?> value) {
		return switch (kind) {
			case G_COUNTER -> G_COUNTER;
			case PN_COUNTER -> PN_COUNTER;
			case G_SET, OR_SET, LWW_REGISTER -> new DataType(kind, Objects.requireNonNull(scalar), null);
			case OR_MAP -> new DataType(kind, Objects.requireNonNull(scalar), Objects.requireNonNull(value));
		};
	}

	/**
	 * The value of a name that was never updated: the type's empty value, {@code null} for a register (which has no
	 * empty value).
	 * @return the empty value, or {@code null}
	 */
	@SuppressWarnings("unchecked")
	public T empty() {
		return (T) switch (this.kind) {
			case G_COUNTER -> GCounter.empty();
			case PN_COUNTER -> PNCounter.empty();
			case G_SET -> GSet.empty();
			case OR_SET -> ORSet.empty();
			case LWW_REGISTER -> null;
			case OR_MAP -> ORMap.empty();
		};
	}

	Kind kind() {
		return this.kind;
	}

	/** Whether a map may hold values of this type. */
	boolean nestable() {
		return this.kind != Kind.OR_MAP && this.kind != Kind.LWW_REGISTER;
	}

	/** The element, register value or map key type; null for counters. */
	Scalar scalar() {
		return this.scalar;
	}

	/** A map's nested type; null otherwise. */
	DataType<?> valueType() {
		return this.value;
	}

	@Override
	public boolean equals(Object other) {
		return (this == other) || (other instanceof DataType<?> that) && this.kind == that.kind
				&& this.scalar == that.scalar && Objects.equals(this.value, that.value);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.kind, this.scalar, this.value);
	}

	@Override
	public String toString() {
		return switch (this.kind) {
			case G_COUNTER -> "grow-only counter";
			case PN_COUNTER -> "counter";
			case G_SET -> "grow-only set of " + this.scalar.id();
			case OR_SET -> "set of " + this.scalar.id();
			case LWW_REGISTER -> "register of " + this.scalar.id();
			case OR_MAP -> "map of " + this.scalar.id() + " to " + this.value;
		};
	}

	/** The replicated data types. */
	enum Kind {

		G_COUNTER, PN_COUNTER, G_SET, OR_SET, LWW_REGISTER, OR_MAP

	}

}
