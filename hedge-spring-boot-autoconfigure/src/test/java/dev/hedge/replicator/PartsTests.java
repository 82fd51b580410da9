package dev.hedge.replicator;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.hedge.crdt.ReplicatedData;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Anti-entropy's parts: every selection of parts is below the value, all parts together are the value, equal values
 * have equal part hashes, and a large value is chunked under the budget into pieces that merge back to it.
 */
class PartsTests {

	@Test
	@SuppressWarnings({ "unchecked", "rawtypes" })
	void partsAreBelowTheValueAndJoinToIt() {
		RandomValues values = new RandomValues(11);
		for (DataType<?> type : RandomValues.TYPES) {
			for (int i = 0; i < 300; i++) {
				ReplicatedData value = values.value(type, 1 + i % 4, 1 + i % 50);
				List<byte[]> ids = new ArrayList<>();
				Parts.forEach(type, value, (id, hash) -> ids.add(id));
				ReplicatedData joined = null;
				for (byte[] id : ids) {
					ReplicatedData part = Parts.select(type, value, List.of(id));
					assertThat(part).as("part of %s", value).isNotNull();
					assertThat(value.merge(part)).as("%s below %s", part, value).isEqualTo(value);
					joined = (joined == null) ? part : joined.merge(part);
				}
				assertThat(joined).as("the parts of %s", value).isEqualTo(value);
				assertThat(Parts.select(type, value, ids)).isEqualTo(value);
				List<byte[]> some = ids.subList(0, values.random().nextInt(ids.size() + 1));
				ReplicatedData selected = Parts.select(type, value, some);
				if (selected != null) {
					assertThat(value.merge(selected)).isEqualTo(value);
				}
			}
		}
	}

	@Test
	void equalValuesHaveEqualPartsAndDifferentOnesDiffer() {
		RandomValues a = new RandomValues(5);
		RandomValues b = new RandomValues(5);
		RandomValues c = new RandomValues(6);
		for (DataType<?> type : RandomValues.TYPES) {
			for (int i = 0; i < 100; i++) {
				ReplicatedData<?> va = a.value(type, 3, 20);
				ReplicatedData<?> vb = b.value(type, 3, 20);
				ReplicatedData<?> vc = c.value(type, 3, 20);
				assertThat(parts(type, va)).isEqualTo(parts(type, vb));
				if (!va.equals(vc)) {
					assertThat(parts(type, va)).as("%s vs %s", va, vc).isNotEqualTo(parts(type, vc));
				}
			}
		}
	}

	@Test
	@SuppressWarnings({ "unchecked", "rawtypes" })
	void largeValuesAreChunkedUnderTheBudget() {
		RandomValues values = new RandomValues(3, 5000, false);
		for (DataType<?> type : List.of(DataType.growOnlySet(String.class), DataType.set(Long.class),
				DataType.map(String.class, DataType.growOnlySet(String.class)))) {
			ReplicatedData value = values.value(type, 3, 4000);
			List<dev.hedge.transport.grpc.proto.CrdtBatch> batches = new ArrayList<>();
			Chunker chunker = new Chunker(300, batches::add);
			chunker.add("v", type, value);
			chunker.finish();
			assertThat(batches).hasSizeGreaterThan(1);
			ReplicatedData joined = null;
			for (dev.hedge.transport.grpc.proto.CrdtBatch batch : batches) {
				assertThat(batch.getSerializedSize()).isLessThanOrEqualTo(600);
				for (Codec.Named named : Codec.decode(batch)) {
					joined = (joined == null) ? named.value() : joined.merge(named.value());
				}
			}
			assertThat(joined).isEqualTo(value);
		}
	}

	private static java.util.Map<String, Long> parts(DataType<?> type, ReplicatedData<?> value) {
		java.util.Map<String, Long> parts = new java.util.HashMap<>();
		Parts.forEach(type, value, (id, hash) -> parts.put(java.util.Arrays.toString(id), hash));
		return parts;
	}

}
