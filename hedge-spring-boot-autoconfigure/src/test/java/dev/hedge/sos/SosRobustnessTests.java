package dev.hedge.sos;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Metadata;
import io.grpc.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.hedge.HedgeNode;
import dev.hedge.TestNodes;
import dev.hedge.store.HedgeStore;
import dev.hedge.testsupport.EmbeddedDatabaseExtension;
import dev.hedge.testsupport.EmbeddedTestDatabase;
import dev.hedge.testsupport.Stores;
import dev.hedge.testsupport.Timing;
import dev.hedge.transport.grpc.Failure;
import dev.hedge.transport.grpc.GrpcLimits;
import dev.hedge.transport.grpc.RawCalls;
import dev.hedge.transport.grpc.proto.SosDeleteReply;
import dev.hedge.transport.grpc.proto.SosDeleteRequest;
import dev.hedge.transport.grpc.proto.SosKeepAliveReply;
import dev.hedge.transport.grpc.proto.SosKeepAliveRequest;
import dev.hedge.transport.grpc.proto.SosReadReply;
import dev.hedge.transport.grpc.proto.SosReadRequest;
import dev.hedge.transport.grpc.proto.SosSegment;
import dev.hedge.transport.grpc.proto.SosWriteReply;
import dev.hedge.transport.grpc.proto.SosWriteRequest;

import static dev.hedge.sos.SosTesting.MIB;
import static dev.hedge.sos.SosTesting.records;
import static dev.hedge.sos.SosTesting.sha256;
import static dev.hedge.sos.SosTesting.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A misbehaving peer against a live receiver (1 MiB memory, 1 MiB disk, 2 s TTL): junk bytes, oversize messages,
 * streams that claim huge sizes, floods beyond the receiver's limits, streams cut in the middle, out-of-order
 * messages, other origins' segments. The receiver answers each with a typed status or a bounded acknowledgement,
 * holds nothing after its TTL, and still serves a legitimate origin afterwards.
 */
@ExtendWith(EmbeddedDatabaseExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SosRobustnessTests {

	private static final String WRITE = "hedge.v1.SpillOver/Write";

	private static final String READ = "hedge.v1.SpillOver/Read";

	private static final String KEEP_ALIVE = "hedge.v1.SpillOver/KeepAlive";

	private static final String DELETE = "hedge.v1.SpillOver/Delete";

	private static final Duration TTL = Duration.ofSeconds(2);

	private final HedgeStore store;

	private TestNodes nodes;

	private HedgeNode receiver;

	private HedgeNode origin;

	private RawSosCalls raw;

	SosRobustnessTests(EmbeddedTestDatabase database) {
		this.store = Stores.embedded(database);
	}

	@BeforeAll
	void start() {
		this.nodes = new TestNodes(this.store);
		this.receiver = SosTesting.start(this.nodes, MIB, MIB, TTL);
		this.origin = SosTesting.start(this.nodes, 256 << 10, 0, TTL);
		SosTesting.awaitMembers(List.of(this.receiver, this.origin));
		this.raw = new RawSosCalls(this.receiver.nodeId());
	}

	@AfterAll
	void stop() {
		this.raw.close();
		this.nodes.close();
		this.store.close();
	}

	@AfterEach
	void theReceiverStillServesALegitimateWriteAndHoldsNothingAfterItsTtl() {
		List<byte[]> records = records(21, 600 << 10, 32 << 10);
		SpillOverStore legit = this.origin.spillOver().store("legit");
		write(legit, records);
		assertThat(legit.stats().peers()).containsKey(this.receiver.nodeId());
		assertThat(sha256(legit)).isEqualTo(sha256(records));
		legit.delete();
		await().atMost(Timing.seconds(15))
			.untilAsserted(() -> List.of(this.receiver, this.origin).forEach(SosTesting::assertNothingLeft));
	}

	private Metadata headers(String sender) {
		return RawCalls.headers(this.receiver.group(), sender, "0");
	}

	private static String sender() {
		return "10.9.9." + new Random().nextInt(250) + ":" + (1000 + new Random().nextInt(60000));
	}

	private static SosSegment segment(String store, String instance, long number) {
		return SosSegment.newBuilder().setStore(store).setInstance(instance).setSegment(number).build();
	}

	private static byte[] open(SosSegment segment) {
		return SosWriteRequest.newBuilder().setOpen(segment).build().toByteArray();
	}

	private static byte[] record(byte[] data) {
		return SosWriteRequest.newBuilder().setRecord(ByteString.copyFrom(data)).build().toByteArray();
	}

	private static byte[] read(SosSegment segment, long from, long count) {
		return SosReadRequest.newBuilder().setSegment(segment).setFrom(from).setCount(count).build().toByteArray();
	}

	private static SosWriteReply lastReply(RawSosCalls.Stream stream) throws InvalidProtocolBufferException {
		assertThat(stream.replies).isNotEmpty();
		return SosWriteReply.parseFrom(stream.replies.get(stream.replies.size() - 1));
	}

	@Test
	void junkBytesOnEveryMethodGetATypedStatus() {
		Random random = new Random(42);
		String sender = sender();
		int refused = 0;
		for (int i = 0; i < 150; i++) {
			byte[] junk = new byte[1 + random.nextInt(300)];
			random.nextBytes(junk);
			for (String method : new String[] { WRITE, READ, KEEP_ALIVE, DELETE }) {
				Status status = this.raw.open(method, headers(sender)).send(junk).halfClose().await();
				assertThat(status.getCode()).as("%s with %d junk bytes: %s", method, junk.length, status)
					.isIn(Status.Code.OK, Status.Code.INVALID_ARGUMENT, Status.Code.NOT_FOUND,
							Status.Code.OUT_OF_RANGE);
				if (status.getCode() == Status.Code.INVALID_ARGUMENT) {
					refused++;
				}
			}
		}
		assertThat(refused).isGreaterThan(300);
		assertThat(this.receiver.spillOver().stats().heldSegments()).isZero();
	}

	@Test
	void oversizeMessagesAreRefusedBeforeTheyAreBuffered() {
		byte[] huge = new byte[GrpcLimits.DEFAULTS.maxMessageBytes() + 1024];
		SosSegment segment = segment("oversize", UUID.randomUUID().toString(), 1);
		RawSosCalls.Stream write = this.raw.open(WRITE, headers(sender()))
			.send(open(segment))
			.send(record(new byte[1000]))
			.send(record(huge))
			.halfClose();
		assertThat(write.await().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
		assertThat(this.raw.open(KEEP_ALIVE, headers(sender())).send(huge).halfClose().await().getCode())
			.isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
	}

	@Test
	void messagesClaimingHugeSizesOrRangesAreRefused() throws Exception {
		String sender = sender();
		SosSegment segment = segment("claims", UUID.randomUUID().toString(), 1);
		byte[] claimsTwoGib = { 0x12, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07, 1, 2, 3 };
		RawSosCalls.Stream lying = this.raw.open(WRITE, headers(sender)).send(open(segment)).send(claimsTwoGib);
		assertThat(lying.await().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
		byte[] openClaimsTwoGib = { 0x0A, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07, 1 };
		assertThat(this.raw.open(WRITE, headers(sender)).send(openClaimsTwoGib).await().getCode())
			.isEqualTo(Status.Code.INVALID_ARGUMENT);
		SosSegment longName = segment("x".repeat(10_000), "i", 1);
		assertThat(this.raw.open(WRITE, headers(sender)).send(open(longName)).await().getCode())
			.isEqualTo(Status.Code.INVALID_ARGUMENT);

		SosSegment real = segment("claims", UUID.randomUUID().toString(), 7);
		RawSosCalls.Stream three = this.raw.open(WRITE, headers(sender)).send(open(real));
		for (int i = 0; i < 3; i++) {
			three.send(record(new byte[] { (byte) i }));
		}
		assertThat(three.halfClose().await().getCode()).isEqualTo(Status.Code.OK);
		assertThat(lastReply(three).getAccepted()).isEqualTo(3);

		for (long[] range : new long[][] { { 0, Long.MAX_VALUE }, { Long.MAX_VALUE, 1 }, { 3, 1 }, { 1, 3 } }) {
			assertThat(this.raw.open(READ, headers(sender)).send(read(real, range[0], range[1])).halfClose().await()
				.getCode()).as("read %d from %d", range[1], range[0]).isEqualTo(Status.Code.OUT_OF_RANGE);
		}
		assertThat(this.raw.open(READ, headers(sender)).send(read(real, -1, 1)).halfClose().await().getCode())
			.isEqualTo(Status.Code.INVALID_ARGUMENT);
		assertThat(this.raw.open(READ, headers(sender)).send(read(segment("claims", real.getInstance(), 8), 0, 1))
			.halfClose()
			.await()
			.getCode()).isEqualTo(Status.Code.NOT_FOUND);
		RawSosCalls.Stream all = this.raw.open(READ, headers(sender)).send(read(real, 0, 3)).halfClose();
		assertThat(all.await().getCode()).isEqualTo(Status.Code.OK);
		assertThat(all.replies).hasSize(3);
		assertThat(SosReadReply.parseFrom(all.replies.get(2)).getRecord().toByteArray()).containsExactly(2);

		byte[] delete = SosDeleteRequest.newBuilder().setStore("claims").setInstance(real.getInstance()).build()
			.toByteArray();
		RawSosCalls.Stream deleted = this.raw.open(DELETE, headers(sender)).send(delete).halfClose();
		assertThat(deleted.await().getCode()).isEqualTo(Status.Code.OK);
		assertThat(SosDeleteReply.parseFrom(deleted.replies.get(0)).getRecords()).isEqualTo(3);
		SosTesting.assertNothingLeft(this.receiver);
	}

	@Test
	void aFloodBeyondTheReceiversOwnLimitsEndsWithTheCountItAccepted() throws Exception {
		String sender = sender();
		SosSegment segment = segment("flood", UUID.randomUUID().toString(), 1);
		RawSosCalls.Stream flood = this.raw.open(WRITE, headers(sender)).send(open(segment));
		byte[] half = new byte[512 << 10];
		for (int i = 0; i < 12; i++) {
			half[0] = (byte) i;
			flood.send(record(half));
		}
		flood.halfClose();
		assertThat(flood.await().getCode()).isEqualTo(Status.Code.OK);
		SosWriteReply last = lastReply(flood);
		assertThat(last.getFull()).isTrue();
		assertThat(last.getReason()).contains("full");
		assertThat(last.getAccepted()).as("what fits in 1 MiB memory + 1 MiB disk").isBetween(2L, 4L);
		assertThat(last.getLeaseMillis()).as("the receiver's own TTL").isEqualTo(TTL.toMillis());
		SpillOverStats stats = this.receiver.spillOver().stats();
		assertThat(stats.memoryUsedBytes()).isLessThanOrEqualTo(MIB);
		assertThat(stats.diskUsedBytes()).isLessThanOrEqualTo(MIB);
		assertThat(stats.heldMemory().plus(stats.heldDisk()).records()).isEqualTo(last.getAccepted());

		RawSosCalls.Stream back = this.raw.open(READ, headers(sender))
			.send(read(segment, 0, last.getAccepted()))
			.halfClose();
		assertThat(back.await().getCode()).isEqualTo(Status.Code.OK);
		assertThat(back.replies).hasSize((int) last.getAccepted());
		for (int i = 0; i < back.replies.size(); i++) {
			byte[] data = SosReadReply.parseFrom(back.replies.get(i)).getRecord().toByteArray();
			assertThat(data).hasSize(half.length);
			assertThat(data[0]).isEqualTo((byte) i);
		}
		// nobody deletes: the receiver's TTL frees it (checked after the test)
	}

	@Test
	void aStreamCutInTheMiddleIsKeptUntilTheReceiversTtlOnly() {
		String sender = sender();
		SosSegment segment = segment("cut", UUID.randomUUID().toString(), 1);
		RawSosCalls.Stream cut = this.raw.open(WRITE, headers(sender)).send(open(segment));
		for (int i = 0; i < 3; i++) {
			cut.send(record(new byte[100 << 10]));
		}
		await().atMost(Timing.seconds(10))
			.until(() -> this.receiver.spillOver().stats().heldMemory().records() == 3);
		long cutAt = System.nanoTime();
		cut.cancel();
		assertThat(cut.await().getCode()).isEqualTo(Status.Code.CANCELLED);
		await().atMost(Timing.seconds(15)).untilAsserted(() -> SosTesting.assertNothingLeft(this.receiver));
		assertThat(System.nanoTime() - cutAt).isGreaterThanOrEqualTo(TTL.toNanos() - Duration.ofMillis(200).toNanos());
	}

	@Test
	void messagesOutOfOrderAreRefused() {
		String sender = sender();
		SosSegment segment = segment("order", UUID.randomUUID().toString(), 1);
		Status recordFirst = this.raw.open(WRITE, headers(sender)).send(record(new byte[] { 1 })).await();
		assertThat(recordFirst.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
		Status twoOpens = this.raw.open(WRITE, headers(sender)).send(open(segment)).send(open(segment)).await();
		assertThat(twoOpens.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
		assertThat(Failure.from(twoOpens.asRuntimeException()).kind()).isEqualTo(Failure.Kind.INVALID);
		Status noOpen = this.raw.open(WRITE, headers(sender)).halfClose().await();
		assertThat(noOpen.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
		RawSosCalls.Stream first = this.raw.open(WRITE, headers(sender)).send(open(segment))
			.send(record(new byte[] { 1 }));
		await().atMost(Timing.seconds(10)).until(() -> this.receiver.spillOver().stats().heldSegments() == 1);
		Status sameSegmentAgain = this.raw.open(WRITE, headers(sender)).send(open(segment)).await();
		assertThat(sameSegmentAgain.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
		assertThat(sameSegmentAgain.getDescription()).contains("already exists");
		assertThat(first.halfClose().await().getCode()).isEqualTo(Status.Code.OK);
		Status noHeaders = this.raw.open(WRITE, RawCalls.headers(null, null, null)).send(open(segment)).await();
		assertThat(noHeaders.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
	}

	@Test
	void keepAliveAndDeleteOfUnknownStoresAnswerAndAnOriginCannotReachAnotherOriginsSegments() throws Exception {
		byte[] unknown = SosKeepAliveRequest.newBuilder().setStore("nope").setInstance("nope").build().toByteArray();
		RawSosCalls.Stream keepAlive = this.raw.open(KEEP_ALIVE, headers(sender())).send(unknown).halfClose();
		assertThat(keepAlive.await().getCode()).isEqualTo(Status.Code.OK);
		assertThat(SosKeepAliveReply.parseFrom(keepAlive.replies.get(0)).getSegments()).isZero();
		byte[] deleteUnknown = SosDeleteRequest.newBuilder().setStore("nope").setInstance("nope").build().toByteArray();
		for (int i = 0; i < 2; i++) {
			RawSosCalls.Stream deleted = this.raw.open(DELETE, headers(sender())).send(deleteUnknown).halfClose();
			assertThat(deleted.await().getCode()).isEqualTo(Status.Code.OK);
			assertThat(SosDeleteReply.parseFrom(deleted.replies.get(0)).getSegments()).isZero();
		}

		String owner = sender();
		String intruder = owner + "0";
		SosSegment segment = segment("private", UUID.randomUUID().toString(), 1);
		RawSosCalls.Stream write = this.raw.open(WRITE, headers(owner)).send(open(segment))
			.send(record(new byte[] { 42 }))
			.halfClose();
		assertThat(write.await().getCode()).isEqualTo(Status.Code.OK);
		assertThat(this.raw.open(READ, headers(intruder)).send(read(segment, 0, 1)).halfClose().await().getCode())
			.isEqualTo(Status.Code.NOT_FOUND);
		byte[] delete = SosDeleteRequest.newBuilder().setStore("private").setInstance(segment.getInstance()).build()
			.toByteArray();
		RawSosCalls.Stream intrusion = this.raw.open(DELETE, headers(intruder)).send(delete).halfClose();
		assertThat(intrusion.await().getCode()).isEqualTo(Status.Code.OK);
		assertThat(SosDeleteReply.parseFrom(intrusion.replies.get(0)).getSegments()).isZero();
		assertThat(this.receiver.spillOver().stats().heldSegments()).isEqualTo(1);
		RawSosCalls.Stream own = this.raw.open(READ, headers(owner)).send(read(segment, 0, 1)).halfClose();
		assertThat(own.await().getCode()).isEqualTo(Status.Code.OK);
		assertThat(own.replies).hasSize(1);
	}

}
