package dev.hedge.replicator;

import java.util.List;
import java.util.Random;

import com.google.protobuf.InvalidProtocolBufferException;
import org.junit.jupiter.api.Test;

import dev.hedge.crdt.GCounter;
import dev.hedge.crdt.ReplicatedData;
import dev.hedge.transport.grpc.proto.CrdtBatch;
import dev.hedge.transport.grpc.proto.CrdtBody;
import dev.hedge.transport.grpc.proto.CrdtDots;
import dev.hedge.transport.grpc.proto.CrdtEntry;
import dev.hedge.transport.grpc.proto.CrdtGCounter;
import dev.hedge.transport.grpc.proto.CrdtORSet;
import dev.hedge.transport.grpc.proto.CrdtRanges;
import dev.hedge.transport.grpc.proto.CrdtScalars;
import dev.hedge.transport.grpc.proto.CrdtType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The wire format: every type round-trips, and whatever does not decode is a typed error. */
class CodecTests {

	@Test
	void everyTypeRoundTrips() throws InvalidProtocolBufferException {
		RandomValues values = new RandomValues(42);
		for (DataType<?> type : RandomValues.TYPES) {
			for (int i = 0; i < 200; i++) {
				ReplicatedData<?> value = values.value(type, 1 + i % 4, 1 + i % 40);
				Codec.Batch batch = new Codec.Batch();
				batch.add("v", type, value);
				byte[] bytes = batch.build().toByteArray();
				List<Codec.Named> decoded = Codec.decode(CrdtBatch.parseFrom(bytes));
				assertThat(decoded).hasSize(1);
				assertThat(decoded.get(0).type()).isEqualTo(type);
				assertThat(decoded.get(0).value()).as("%s", value).isEqualTo(value);
			}
		}
	}

	@Test
	void aCounterIncrementIsAFewBytes() {
		Codec.Batch batch = new Codec.Batch();
		batch.add("likes/0123456789abcdef", DataType.growOnlySet(String.class),
				dev.hedge.crdt.GSet.<String>empty().add("user-0123456789ab").delta());
		assertThat(batch.build().getSerializedSize()).isLessThanOrEqualTo(64);
	}

	@Test
	void malformedValuesAreTypedErrors() {
		CrdtType counter = Codec.type(DataType.growOnlyCounter());
		CrdtType set = Codec.type(DataType.set(String.class));
		List<CrdtBatch> bad = List.of(
				// replica index out of range
				batch(counter, CrdtBody.newBuilder()
					.setGCounter(CrdtGCounter.newBuilder().addReplicas(3).addCounts(1))
					.build(), "r#1"),
				// lists of different lengths
				batch(counter, CrdtBody.newBuilder().setGCounter(CrdtGCounter.newBuilder().addReplicas(0)).build(),
						"r#1"),
				// a negative count (uint64 over Long.MAX_VALUE)
				batch(counter, CrdtBody.newBuilder()
					.setGCounter(CrdtGCounter.newBuilder().addReplicas(0).addCounts(-5))
					.build(), "r#1"),
				// a body of another type than declared
				batch(counter, CrdtBody.newBuilder().setOrSet(CrdtORSet.getDefaultInstance()).build(), "r#1"),
				// a dot not in the context
				batch(set, CrdtBody.newBuilder()
					.setOrSet(CrdtORSet.newBuilder()
						.setElements(CrdtScalars.newBuilder().addStrings("a"))
						.addDots(CrdtDots.newBuilder().addReplicas(0).addCounters(1)))
					.build(), "r#1"),
				// a context range without its end, a range backwards
				batch(set, CrdtBody.newBuilder()
					.setOrSet(CrdtORSet.newBuilder().addContext(CrdtRanges.newBuilder().setReplica(0).addBounds(1)))
					.build(), "r#1"),
				batch(set, CrdtBody.newBuilder()
					.setOrSet(CrdtORSet.newBuilder()
						.addContext(CrdtRanges.newBuilder().setReplica(0).addBounds(5).addBounds(2)))
					.build(), "r#1"),
				// numbers where strings are expected
				batch(set, CrdtBody.newBuilder()
					.setOrSet(CrdtORSet.newBuilder().setElements(CrdtScalars.newBuilder().addLongs(3)))
					.build(), "r#1"),
				// an unknown type, a map of maps, an empty replica id, an empty name
				CrdtBatch.newBuilder().addEntries(CrdtEntry.newBuilder().setKey("k")).build(),
				CrdtBatch.newBuilder()
					.addEntries(CrdtEntry.newBuilder()
						.setKey("k")
						.setType(CrdtType.newBuilder()
							.setKind(CrdtType.Kind.OR_MAP)
							.setScalar(CrdtType.Scalar.STRING)
							.setValue(Codec.type(DataType.map(String.class, DataType.counter())))))
					.build(),
				CrdtBatch.newBuilder().addReplicas("").build(),
				CrdtBatch.newBuilder().addEntries(CrdtEntry.newBuilder().setType(counter)).build());
		for (CrdtBatch batch : bad) {
			assertThatExceptionOfType(MalformedDataException.class).as("%s", batch)
				.isThrownBy(() -> Codec.decode(batch));
		}
	}

	@Test
	void randomBytesNeverThrowAnythingButTypedErrors() {
		Random random = new Random(7);
		RandomValues values = new RandomValues(8);
		int decoded = 0;
		for (int i = 0; i < 20_000; i++) {
			DataType<?> type = RandomValues.TYPES.get(i % RandomValues.TYPES.size());
			Codec.Batch batch = new Codec.Batch();
			batch.add("v", type, values.value(type, 3, 10));
			byte[] bytes = batch.build().toByteArray();
			for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
				bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
			}
			try {
				Codec.decode(CrdtBatch.parseFrom(bytes));
				decoded++;
			}
			catch (InvalidProtocolBufferException | MalformedDataException ex) {
				// typed
			}
		}
		assertThat(decoded).isPositive();
	}

	@Test
	void anEmptyCounterRoundTrips() throws InvalidProtocolBufferException {
		Codec.Batch batch = new Codec.Batch();
		batch.add("c", DataType.growOnlyCounter(), GCounter.empty());
		assertThat(Codec.decode(CrdtBatch.parseFrom(batch.build().toByteArray())).get(0).value())
			.isEqualTo(GCounter.empty());
	}

	private static CrdtBatch batch(CrdtType type, CrdtBody body, String replica) {
		return CrdtBatch.newBuilder()
			.addReplicas(replica)
			.addEntries(CrdtEntry.newBuilder().setKey("k").setType(type).setBody(body))
			.build();
	}

}
