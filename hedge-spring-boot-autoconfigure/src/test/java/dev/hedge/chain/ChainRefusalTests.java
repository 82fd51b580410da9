package dev.hedge.chain;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.hedge.HedgeNode;
import dev.hedge.store.HedgeStore;
import dev.hedge.testsupport.EmbeddedDatabaseExtension;
import dev.hedge.testsupport.EmbeddedTestDatabase;
import dev.hedge.testsupport.Stores;
import dev.hedge.transport.grpc.GrpcLimits;
import dev.hedge.transport.grpc.HedgeHeaders;
import dev.hedge.transport.grpc.PeerChannels;
import dev.hedge.transport.grpc.proto.ChainConfigMsg;
import dev.hedge.transport.grpc.proto.ChainFetchRequest;
import dev.hedge.transport.grpc.proto.ChainForwardRequest;
import dev.hedge.transport.grpc.proto.ChainGrpc;
import dev.hedge.transport.grpc.proto.ChainHeartbeatRequest;
import dev.hedge.transport.grpc.proto.ChainMemberRef;
import dev.hedge.transport.grpc.proto.ChainPushRequest;
import dev.hedge.transport.grpc.proto.ChainRefusal;
import dev.hedge.transport.grpc.proto.ChainScanRequest;
import dev.hedge.transport.grpc.proto.ChainVersionRequest;
import dev.hedge.transport.grpc.proto.ChainWriteRequest;

import static dev.hedge.chain.ChainCluster.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What members refuse, over real gRPC with a member's identity: 1 000 data-path messages carrying an older
 * configuration (none applied), messages of a newer one, forwards from a member that is not the predecessor, and
 * malformed or oversize input (typed refusals and INVALID_ARGUMENT, never a crash, and the chain keeps working).
 */
@ExtendWith(EmbeddedDatabaseExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChainRefusalTests {

	private final HedgeStore store;

	private ChainCluster cluster;

	private PeerChannels channels;

	ChainRefusalTests(EmbeddedTestDatabase database) {
		this.store = Stores.embedded(database);
	}

	@AfterEach
	void stop() {
		if (this.channels != null) {
			this.channels.close();
			this.channels = null;
		}
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	@AfterAll
	void closeStore() {
		this.store.close();
	}

	private List<HedgeNode> chain() {
		this.cluster = new ChainCluster(this.store, (index) -> ChainOptions
			.enabled(ChainStorage.inMemory(ChainStoreOptions.DEFAULTS.withMaxValueBytes(1024))));
		return this.cluster.startChain(3);
	}

	/** A raw stub that calls {@code target} as the member {@code sender}. */
	private ChainGrpc.ChainBlockingStub as(HedgeNode sender, HedgeNode target) {
		if (this.channels == null) {
			this.channels = new PeerChannels(GrpcLimits.DEFAULTS,
					HedgeHeaders.client(target.group(), () -> this.sender, () -> 0L));
		}
		this.sender = sender.nodeId();
		return ChainGrpc.newBlockingStub(this.channels.channel(target.nodeId())).withDeadlineAfter(5, TimeUnit.SECONDS);
	}

	private volatile String sender;

	private HedgeNode role(String role) {
		return this.cluster.inRole(role).orElseThrow();
	}

	@Test
	void aThousandMessagesOfOlderConfigurationsAreRefusedAndNoneIsApplied() {
		List<HedgeNode> nodes = chain();
		nodes.get(0).chain().write("kept", bytes("before"));
		HedgeNode head = role("head");
		HedgeNode middle = role("middle");
		HedgeNode tail = role("tail");
		long current = head.chain().state().config().version();
		assertThat(current).isGreaterThan(1);
		List<Long> keysBefore = nodes.stream().map((node) -> node.chain().state().keys()).toList();
		Random random = new Random(18);
		int refused = 0;
		for (int i = 0; i < 1000; i++) {
			long stale = random.nextInt((int) current);
			String key = "stale-" + i;
			ByteString value = ByteString.copyFromUtf8("injected " + i);
			ChainRefusal refusal = switch (i % 5) {
				case 0 -> as(head, middle).forward(ChainForwardRequest.newBuilder()
					.setConfigVersion(stale).setKey(key).setVersion(1).setValue(value).setWriteId("w" + i).build())
					.getRefusal();
				case 1 -> as(middle, tail).forward(ChainForwardRequest.newBuilder()
					.setConfigVersion(stale).setKey("kept").setVersion(2).setValue(value).setWriteId("w" + i).build())
					.getRefusal();
				case 2 -> as(tail, head).write(ChainWriteRequest.newBuilder()
					.setConfigVersion(stale).setKey(key).setValue(value).setWriteId("w" + i).build()).getRefusal();
				case 3 -> as(head, tail).version(ChainVersionRequest.newBuilder()
					.setConfigVersion(stale).setKey("kept").build()).getRefusal();
				default -> (i % 10 == 4)
						? as(middle, head).fetch(ChainFetchRequest.newBuilder().setConfigVersion(stale).setKey("kept")
							.build()).getRefusal()
						: as(tail, middle).scan(ChainScanRequest.newBuilder().setConfigVersion(stale).setFirst(true)
							.setLimit(10).build()).getRefusal();
			};
			assertThat(refusal.getReason()).as("message %d (configuration %d of %d)", i, stale, current)
				.isEqualTo(ChainRefusal.Reason.STALE_CONFIG);
			assertThat(refusal.getConfig().getVersion()).isEqualTo(current);
			refused++;
		}
		assertThat(refused).isEqualTo(1000);
		for (HedgeNode node : nodes) {
			for (int i = 0; i < 1000; i += 5) {
				assertThat(node.chain().read("stale-" + i, ReadMode.LOCAL)).isEmpty();
			}
			assertThat(ChainCluster.text(node.chain().read("kept").orElseThrow())).isEqualTo("before");
		}
		assertThat(nodes.stream().map((node) -> node.chain().state().keys()).toList()).isEqualTo(keysBefore);
		assertThat(nodes.get(1).chain().write("kept", bytes("after"))).as("the chain still works").isEqualTo(2);
	}

	@Test
	void newerConfigurationsAndForwardsFromAnotherMemberAreRefusedToo() {
		chain();
		HedgeNode head = role("head");
		HedgeNode middle = role("middle");
		HedgeNode tail = role("tail");
		long current = head.chain().state().config().version();
		ChainRefusal newer = as(head, middle).forward(ChainForwardRequest.newBuilder().setConfigVersion(current + 5)
			.setKey("n").setVersion(1).setValue(ByteString.copyFromUtf8("x")).setWriteId("w").build()).getRefusal();
		assertThat(newer.getReason()).isEqualTo(ChainRefusal.Reason.CONFIG_BEHIND);
		ChainRefusal skipping = as(head, tail).forward(ChainForwardRequest.newBuilder().setConfigVersion(current)
			.setKey("n").setVersion(1).setValue(ByteString.copyFromUtf8("x")).setWriteId("w").build()).getRefusal();
		assertThat(skipping.getReason()).as("the head is not the tail's predecessor")
			.isEqualTo(ChainRefusal.Reason.WRONG_ROLE);
		ChainRefusal notHead = as(head, middle).write(ChainWriteRequest.newBuilder().setConfigVersion(current)
			.setKey("n").setValue(ByteString.copyFromUtf8("x")).setWriteId("w").build()).getRefusal();
		assertThat(notHead.getReason()).isEqualTo(ChainRefusal.Reason.WRONG_ROLE);
		ChainRefusal notTail = as(head, middle).version(ChainVersionRequest.newBuilder().setConfigVersion(current)
			.setKey("n").build()).getRefusal();
		assertThat(notTail.getReason()).isEqualTo(ChainRefusal.Reason.WRONG_ROLE);
		assertThat(tail.chain().read("n", ReadMode.LOCAL)).isEmpty();
	}

	@Test
	void malformedAndOversizeInputGetsTypedAnswersAndTheChainGoesOn() {
		List<HedgeNode> nodes = chain();
		HedgeNode head = role("head");
		HedgeNode middle = role("middle");
		long current = head.chain().state().config().version();
		List<Runnable> invalid = new ArrayList<>();
		invalid.add(() -> as(head, middle).forward(ChainForwardRequest.newBuilder().setConfigVersion(current)
			.setKey("").setVersion(1).setWriteId("w").build()));
		invalid.add(() -> as(head, middle).forward(ChainForwardRequest.newBuilder().setConfigVersion(current)
			.setKey("k").setVersion(0).setWriteId("w").build()));
		invalid.add(() -> as(head, middle).write(ChainWriteRequest.newBuilder().setConfigVersion(current)
			.setKey("k").setWriteId("").build()));
		invalid.add(() -> as(head, middle).scan(ChainScanRequest.newBuilder().setConfigVersion(current).build()));
		HedgeNode leader = this.cluster.nodes().leader().orElseThrow();
		HedgeNode other = nodes.stream().filter((node) -> node != leader).findFirst().orElseThrow();
		invalid.add(() -> as(other, leader).heartbeat(ChainHeartbeatRequest.newBuilder()
			.setMember(ChainMemberRef.newBuilder().setId(leader.nodeId()).setIncarnation("forged")).build()));
		invalid.add(() -> as(leader, other).push(ChainPushRequest.newBuilder().setConfig(ChainConfigMsg.newBuilder()
			.setVersion(current + 1)
			.addMembers(ChainMemberRef.newBuilder().setId("a:1").setIncarnation("x"))
			.addMembers(ChainMemberRef.newBuilder().setId("a:1").setIncarnation("y"))).build()));
		invalid.add(() -> as(leader, other).push(ChainPushRequest.newBuilder().setConfig(ChainConfigMsg.newBuilder()
			.setVersion(current + 1)
			.addMembers(ChainMemberRef.newBuilder().setId("white space:1").setIncarnation("x"))).build()));
		for (Runnable call : invalid) {
			assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(call::run)
				.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
		}
		ChainRefusal tooLarge = as(middle, head).write(ChainWriteRequest.newBuilder().setConfigVersion(current)
			.setKey("big").setValue(ByteString.copyFrom(new byte[2048])).setWriteId("w").build()).getRefusal();
		assertThat(tooLarge.getReason()).isEqualTo(ChainRefusal.Reason.LIMIT);
		assertThatExceptionOfType(ChainLimitException.class)
			.isThrownBy(() -> middle.chain().write("big", new byte[2048]));
		assertThatExceptionOfType(ChainLimitException.class)
			.isThrownBy(() -> middle.chain().write("k".repeat(2000), bytes("v")));
		assertThat(nodes).allSatisfy((node) -> assertThat(node.chain().state().config().version()).isEqualTo(current));
		assertThat(middle.chain().write("after", bytes("ok"))).isEqualTo(1);
		assertThat(head.chain().read("after")).isPresent();
	}

}
