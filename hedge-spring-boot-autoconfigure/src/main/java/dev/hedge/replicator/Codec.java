package dev.hedge.replicator;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.hedge.crdt.CausalContext;
import dev.hedge.crdt.Dot;
import dev.hedge.crdt.GCounter;
import dev.hedge.crdt.GSet;
import dev.hedge.crdt.LWWRegister;
import dev.hedge.crdt.ORMap;
import dev.hedge.crdt.ORSet;
import dev.hedge.crdt.PNCounter;
import dev.hedge.crdt.ReplicatedData;
import dev.hedge.transport.grpc.proto.CrdtBatch;
import dev.hedge.transport.grpc.proto.CrdtBody;
import dev.hedge.transport.grpc.proto.CrdtContributions;
import dev.hedge.transport.grpc.proto.CrdtDots;
import dev.hedge.transport.grpc.proto.CrdtEntry;
import dev.hedge.transport.grpc.proto.CrdtGCounter;
import dev.hedge.transport.grpc.proto.CrdtGSet;
import dev.hedge.transport.grpc.proto.CrdtORMap;
import dev.hedge.transport.grpc.proto.CrdtORSet;
import dev.hedge.transport.grpc.proto.CrdtPNCounter;
import dev.hedge.transport.grpc.proto.CrdtRanges;
import dev.hedge.transport.grpc.proto.CrdtRegister;
import dev.hedge.transport.grpc.proto.CrdtScalars;
import dev.hedge.transport.grpc.proto.CrdtType;

/**
 * Translates named values to and from {@code hedge.v1} messages ({@code crdt.proto}). Values are written through the
 * CRDT types' public accessors and rebuilt with their {@code of(...)} factories, which check consistency; anything
 * that does not decode (an index out of range, lists of different lengths, a body of another type than declared, an
 * inconsistent value) is a {@link MalformedDataException}, never another exception. Stateless and thread-safe; a
 * {@link Batch} is not thread-safe.
 */
final class Codec {

	/** Longest replica id accepted. */
	static final int MAX_REPLICA_ID = 512;

	private Codec() {
	}

	/** A decoded entry. */
	record Named(String key, DataType<?> type, ReplicatedData<?> value) {
	}

	/** Builds one {@link CrdtBatch}, interning replica ids. */
	static final class Batch {

		private final Map<String, Integer> replicas = new LinkedHashMap<>();

		private final List<CrdtEntry> entries = new ArrayList<>();

		private int entryBytes;

		/**
		 * Adds a value; returns the entry's size in bytes (without the replica ids it added).
		 */
		int add(String key, DataType<?> type, ReplicatedData<?> value) {
			CrdtEntry entry = entry(key, type, value);
			this.entries.add(entry);
			int size = entry.getSerializedSize();
			this.entryBytes += size;
			return size;
		}

		CrdtEntry entry(String key, DataType<?> type, ReplicatedData<?> value) {
			return CrdtEntry.newBuilder().setKey(key).setType(type(type)).setBody(body(type, value)).build();
		}

		void add(CrdtEntry entry) {
			this.entries.add(entry);
			this.entryBytes += entry.getSerializedSize();
		}

		boolean isEmpty() {
			return this.entries.isEmpty();
		}

		int entries() {
			return this.entries.size();
		}

		/** An estimate of the encoded size (entries plus replica ids). */
		int estimatedBytes() {
			int ids = 0;
			for (String replica : this.replicas.keySet()) {
				ids += replica.length() + 3;
			}
			return this.entryBytes + ids + 4 * this.entries.size();
		}

		CrdtBatch build() {
			return CrdtBatch.newBuilder().addAllReplicas(this.replicas.keySet()).addAllEntries(this.entries).build();
		}

		private int replica(String id) {
			return this.replicas.computeIfAbsent(id, (r) -> this.replicas.size());
		}

		private List<Integer> replicas(Collection<String> ids) {
			List<Integer> indexes = new ArrayList<>(ids.size());
			for (String id : ids) {
				indexes.add(replica(id));
			}
			return indexes;
		}

		@SuppressWarnings("unchecked")
		private CrdtBody body(DataType<?> type, Object value) {
			CrdtBody.Builder body = CrdtBody.newBuilder();
			switch (type.kind()) {
				case G_COUNTER -> body.setGCounter(gCounter((GCounter) value));
				case PN_COUNTER -> body.setPnCounter(CrdtPNCounter.newBuilder()
					.setIncrements(gCounter(((PNCounter) value).increments()))
					.setDecrements(gCounter(((PNCounter) value).decrements())));
				case G_SET -> body.setGSet(CrdtGSet.newBuilder().setElements(scalars(type.scalar(),
						((GSet<Object>) value).elements())));
				case OR_SET -> body.setOrSet(orSet(type.scalar(), (ORSet<Object>) value));
				case LWW_REGISTER -> {
					LWWRegister<Object> register = (LWWRegister<Object>) value;
					body.setRegister(CrdtRegister.newBuilder()
						.setValue(scalars(type.scalar(), List.of(register.value())))
						.setTimestamp(register.timestamp())
						.setReplica(replica(register.replica())));
				}
				case OR_MAP -> body.setOrMap(orMap(type, (ORMap<Object, ?>) value));
			}
			return body.build();
		}

		private CrdtGCounter gCounter(GCounter counter) {
			CrdtGCounter.Builder builder = CrdtGCounter.newBuilder();
			counter.slots().forEach((replica, count) -> builder.addReplicas(replica(replica)).addCounts(count));
			return builder.addAllPruned(replicas(counter.prunedReplicas())).build();
		}

		private CrdtORSet orSet(Scalar scalar, ORSet<Object> set) {
			CrdtORSet.Builder builder = CrdtORSet.newBuilder();
			List<Object> elements = new ArrayList<>(set.size());
			set.dots().forEach((element, dots) -> {
				elements.add(element);
				builder.addDots(dots(dots));
			});
			return builder.setElements(scalars(scalar, elements))
				.addAllContext(context(set.context()))
				.addAllPruned(replicas(set.prunedReplicas()))
				.build();
		}

		private CrdtORMap orMap(DataType<?> type, ORMap<Object, ?> map) {
			CrdtORMap.Builder builder = CrdtORMap.newBuilder();
			List<Object> keys = new ArrayList<>(map.size());
			map.contributions().forEach((key, byDot) -> {
				keys.add(key);
				CrdtContributions.Builder contributions = CrdtContributions.newBuilder();
				List<Dot> dots = new ArrayList<>(byDot.keySet());
				contributions.setDots(dots(dots));
				for (Dot dot : dots) {
					contributions.addValues(body(type.valueType(), byDot.get(dot)));
				}
				builder.addContributions(contributions);
			});
			return builder.setKeys(scalars(type.scalar(), keys))
				.addAllContext(context(map.context()))
				.addAllPruned(replicas(map.prunedReplicas()))
				.build();
		}

		private CrdtDots dots(Collection<Dot> dots) {
			CrdtDots.Builder builder = CrdtDots.newBuilder();
			for (Dot dot : dots) {
				builder.addReplicas(replica(dot.replica())).addCounters(dot.counter());
			}
			return builder.build();
		}

		private List<CrdtRanges> context(CausalContext context) {
			List<CrdtRanges> ranges = new ArrayList<>();
			context.ranges().forEach((replica, list) -> {
				CrdtRanges.Builder builder = CrdtRanges.newBuilder().setReplica(replica(replica));
				for (CausalContext.Range range : list) {
					builder.addBounds(range.first()).addBounds(range.last());
				}
				ranges.add(builder.build());
			});
			return ranges;
		}

	}

	static CrdtType type(DataType<?> type) {
		CrdtType.Builder builder = CrdtType.newBuilder().setKind(CrdtType.Kind.forNumber(type.kind().ordinal() + 1));
		if (type.scalar() != null) {
			builder.setScalar((type.scalar() == Scalar.STRING) ? CrdtType.Scalar.STRING : CrdtType.Scalar.INT64);
		}
		if (type.valueType() != null) {
			builder.setValue(type(type.valueType()));
		}
		return builder.build();
	}

	private static CrdtScalars scalars(Scalar scalar, Collection<?> values) {
		CrdtScalars.Builder builder = CrdtScalars.newBuilder();
		if (scalar == Scalar.STRING) {
			for (Object value : values) {
				builder.addStrings((String) value);
			}
		}
		else {
			for (Object value : values) {
				builder.addLongs((Long) value);
			}
		}
		return builder.build();
	}

	// ---- decoding ----

	/**
	 * Decodes every entry of a batch.
	 * @throws MalformedDataException if anything does not decode
	 */
	static List<Named> decode(CrdtBatch batch) {
		List<String> replicas = batch.getReplicasList();
		for (String replica : replicas) {
			if (replica.isEmpty() || replica.length() > MAX_REPLICA_ID) {
				throw new MalformedDataException("replica ids must have 1.." + MAX_REPLICA_ID + " characters");
			}
		}
		Decoder decoder = new Decoder(replicas);
		List<Named> named = new ArrayList<>(batch.getEntriesCount());
		for (CrdtEntry entry : batch.getEntriesList()) {
			named.add(decoder.entry(entry));
		}
		return named;
	}

	/** Decodes a type. */
	static DataType<?> type(CrdtType type) {
		return type(type, true);
	}

	private static DataType<?> type(CrdtType type, boolean top) {
		DataType.Kind kind = switch (type.getKind()) {
			case G_COUNTER -> DataType.Kind.G_COUNTER;
			case PN_COUNTER -> DataType.Kind.PN_COUNTER;
			case G_SET -> DataType.Kind.G_SET;
			case OR_SET -> DataType.Kind.OR_SET;
			case LWW_REGISTER -> DataType.Kind.LWW_REGISTER;
			case OR_MAP -> DataType.Kind.OR_MAP;
			default -> throw new MalformedDataException("unknown value type " + type.getKind());
		};
		Scalar scalar = switch (type.getScalar()) {
			case STRING -> Scalar.STRING;
			case INT64 -> Scalar.INT64;
			default -> null;
		};
		boolean needsScalar = kind != DataType.Kind.G_COUNTER && kind != DataType.Kind.PN_COUNTER;
		if (needsScalar != (scalar != null)) {
			throw new MalformedDataException("type " + kind + " with scalar " + type.getScalar());
		}
		DataType<?> value = null;
		if (kind == DataType.Kind.OR_MAP) {
			if (!top || !type.hasValue()) {
				throw new MalformedDataException("a map needs a nested value type that is not a map");
			}
			value = type(type.getValue(), false);
			if (!value.nestable()) {
				throw new MalformedDataException("a map's values are counters or sets, not a " + value);
			}
		}
		else if (type.hasValue()) {
			throw new MalformedDataException("only a map has a nested value type");
		}
		return DataType.of(kind, scalar, value);
	}

	/** Decodes bodies against the batch's replica table. */
	private static final class Decoder {

		private final List<String> replicas;

		Decoder(List<String> replicas) {
			this.replicas = replicas;
		}

		Named entry(CrdtEntry entry) {
			String key = entry.getKey();
			if (key.isEmpty() || key.length() > Names.MAX_LENGTH) {
				throw new MalformedDataException("names must have 1.." + Names.MAX_LENGTH + " characters");
			}
			DataType<?> type = type(entry.getType());
			try {
				return new Named(key, type, body(type, entry.getBody()));
			}
			catch (IllegalArgumentException | IllegalStateException | NullPointerException | ArithmeticException
					| IndexOutOfBoundsException ex) {
				throw new MalformedDataException("entry '" + key + "' does not decode: " + ex.getMessage(), ex);
			}
		}

		private ReplicatedData<?> body(DataType<?> type, CrdtBody body) {
			CrdtBody.KindCase expected = switch (type.kind()) {
				case G_COUNTER -> CrdtBody.KindCase.G_COUNTER;
				case PN_COUNTER -> CrdtBody.KindCase.PN_COUNTER;
				case G_SET -> CrdtBody.KindCase.G_SET;
				case OR_SET -> CrdtBody.KindCase.OR_SET;
				case LWW_REGISTER -> CrdtBody.KindCase.REGISTER;
				case OR_MAP -> CrdtBody.KindCase.OR_MAP;
			};
			if (body.getKindCase() != expected) {
				throw new MalformedDataException("a " + type + " sent as " + body.getKindCase());
			}
			return switch (type.kind()) {
				case G_COUNTER -> gCounter(body.getGCounter());
				case PN_COUNTER -> new PNCounter(gCounter(body.getPnCounter().getIncrements()),
						gCounter(body.getPnCounter().getDecrements()));
				case G_SET -> GSet.of(scalars(type.scalar(), body.getGSet().getElements()));
				case OR_SET -> orSet(type.scalar(), body.getOrSet());
				case LWW_REGISTER -> register(type.scalar(), body.getRegister());
				case OR_MAP -> orMap(type, body.getOrMap());
			};
		}

		private String replica(int index) {
			if (index < 0 || index >= this.replicas.size()) {
				throw new MalformedDataException("replica index " + index + " out of range");
			}
			return this.replicas.get(index);
		}

		private Set<String> replicas(List<Integer> indexes) {
			Set<String> set = new HashSet<>();
			for (int index : indexes) {
				set.add(replica(index));
			}
			return set;
		}

		private GCounter gCounter(CrdtGCounter counter) {
			if (counter.getReplicasCount() != counter.getCountsCount()) {
				throw new MalformedDataException("a counter's replicas and counts differ in number");
			}
			Map<String, Long> slots = new HashMap<>();
			for (int i = 0; i < counter.getReplicasCount(); i++) {
				if (slots.put(replica(counter.getReplicas(i)), counter.getCounts(i)) != null) {
					throw new MalformedDataException("a counter names a replica twice");
				}
			}
			return GCounter.of(slots, replicas(counter.getPrunedList()));
		}

		private List<Object> scalars(Scalar scalar, CrdtScalars scalars) {
			if (scalar == Scalar.STRING) {
				if (scalars.getLongsCount() > 0) {
					throw new MalformedDataException("numbers where strings are expected");
				}
				return new ArrayList<>(scalars.getStringsList());
			}
			if (scalars.getStringsCount() > 0) {
				throw new MalformedDataException("strings where numbers are expected");
			}
			return new ArrayList<>(scalars.getLongsList());
		}

		private List<Dot> dots(CrdtDots dots) {
			if (dots.getReplicasCount() != dots.getCountersCount()) {
				throw new MalformedDataException("dots with replicas and counters of different numbers");
			}
			List<Dot> list = new ArrayList<>(dots.getReplicasCount());
			for (int i = 0; i < dots.getReplicasCount(); i++) {
				list.add(new Dot(replica(dots.getReplicas(i)), dots.getCounters(i)));
			}
			return list;
		}

		private CausalContext context(List<CrdtRanges> ranges) {
			Map<String, List<CausalContext.Range>> map = new HashMap<>();
			for (CrdtRanges replicaRanges : ranges) {
				if (replicaRanges.getBoundsCount() % 2 != 0) {
					throw new MalformedDataException("a context range without its end");
				}
				List<CausalContext.Range> list = map.computeIfAbsent(replica(replicaRanges.getReplica()),
						(r) -> new ArrayList<>());
				for (int i = 0; i < replicaRanges.getBoundsCount(); i += 2) {
					list.add(new CausalContext.Range(replicaRanges.getBounds(i), replicaRanges.getBounds(i + 1)));
				}
			}
			return CausalContext.of(map);
		}

		private ORSet<Object> orSet(Scalar scalar, CrdtORSet set) {
			List<Object> elements = scalars(scalar, set.getElements());
			if (elements.size() != set.getDotsCount()) {
				throw new MalformedDataException("a set's elements and dots differ in number");
			}
			Map<Object, List<Dot>> dots = new HashMap<>();
			for (int i = 0; i < elements.size(); i++) {
				if (dots.put(elements.get(i), dots(set.getDots(i))) != null) {
					throw new MalformedDataException("a set names an element twice");
				}
			}
			return ORSet.of(dots, context(set.getContextList()), replicas(set.getPrunedList()));
		}

		private LWWRegister<Object> register(Scalar scalar, CrdtRegister register) {
			List<Object> value = scalars(scalar, register.getValue());
			if (value.size() != 1) {
				throw new MalformedDataException("a register holds exactly one value");
			}
			return new LWWRegister<>(value.get(0), register.getTimestamp(), replica(register.getReplica()));
		}

		@SuppressWarnings({ "unchecked", "rawtypes" })
		private ORMap<Object, ?> orMap(DataType<?> type, CrdtORMap map) {
			List<Object> keys = scalars(type.scalar(), map.getKeys());
			if (keys.size() != map.getContributionsCount()) {
				throw new MalformedDataException("a map's keys and contributions differ in number");
			}
			Map<Object, Map<Dot, ReplicatedData>> contributions = new HashMap<>();
			for (int i = 0; i < keys.size(); i++) {
				CrdtContributions byKey = map.getContributions(i);
				List<Dot> dots = dots(byKey.getDots());
				if (dots.size() != byKey.getValuesCount()) {
					throw new MalformedDataException("a map key's dots and values differ in number");
				}
				Map<Dot, ReplicatedData> values = new HashMap<>();
				for (int j = 0; j < dots.size(); j++) {
					if (values.put(dots.get(j), body(type.valueType(), byKey.getValues(j))) != null) {
						throw new MalformedDataException("a map key names a dot twice");
					}
				}
				if (contributions.put(keys.get(i), values) != null) {
					throw new MalformedDataException("a map names a key twice");
				}
			}
			return ORMap.of((Map) contributions, context(map.getContextList()), replicas(map.getPrunedList()));
		}

	}

}
