package dev.hedge.transport.grpc;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.hedge.HedgeNode;
import dev.hedge.TestNodes;
import dev.hedge.messaging.RequestRejectedException;
import dev.hedge.store.HedgeStore;
import dev.hedge.testsupport.EmbeddedDatabaseExtension;
import dev.hedge.testsupport.EmbeddedTestDatabase;
import dev.hedge.testsupport.Stores;
import dev.hedge.testsupport.Timing;
import dev.hedge.transport.grpc.proto.MemberList;
import dev.hedge.transport.grpc.proto.Payload;
import dev.hedge.transport.grpc.proto.PushMembersRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Bad input against live members: oversize messages, garbage on the port, malformed protobuf, wrong or missing
 * headers, forged member lists. Every case gets a typed answer or a closed connection, and the member stays up.
 */
@ExtendWith(EmbeddedDatabaseExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransportRobustnessTests {

	private final HedgeStore store;

	private TestNodes nodes;

	private HedgeNode leader;

	private HedgeNode follower;

	private RawCalls raw;

	TransportRobustnessTests(EmbeddedTestDatabase database) {
		this.store = Stores.embedded(database);
	}

	@BeforeAll
	void startTwoNodes() {
		this.nodes = new TestNodes(this.store);
		this.leader = this.nodes.start((builder) -> builder.leaderHandler((m) -> m.payload()));
		await().atMost(Timing.seconds(10)).until(this.leader::isLeader);
		this.follower = this.nodes.start((builder) -> builder.leaderHandler((m) -> m.payload()));
		await().atMost(Timing.seconds(10)).until(() -> this.follower.leaderId().isPresent());
		this.raw = new RawCalls(this.leader.nodeId());
	}

	@AfterAll
	void stop() {
		this.raw.close();
		this.nodes.close();
		this.store.close();
	}

	private byte[] payload(byte[] data) {
		return Payload.newBuilder().setData(com.google.protobuf.ByteString.copyFrom(data)).build().toByteArray();
	}

	private void assertStillServing() {
		assertThat(new String(this.follower.send("alive?".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8))
			.isEqualTo("alive?");
	}

	@Test
	void oversizeMessageGetsResourceExhaustedAndTheMemberStaysUp() {
		byte[] big = new byte[GrpcLimits.DEFAULTS.maxMessageBytes() + 1024];
		assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(() -> this.raw.unary("hedge.v1.Messaging/Send", payload(big),
					RawCalls.headers(this.leader.group(), "127.0.0.1:1", "0")))
			.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
		assertThatExceptionOfType(RequestRejectedException.class).isThrownBy(() -> this.follower.send(big))
			.satisfies((ex) -> assertThat(ex.getKind()).isEqualTo(Failure.Kind.TOO_LARGE));
		assertStillServing();
	}

	@Test
	void garbageBytesOnThePortCloseThatConnectionOnly() throws Exception {
		String[] hostPort = this.leader.nodeId().split(":");
		for (int i = 0; i < 20; i++) {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 2000);
				socket.setSoTimeout(3000);
				OutputStream out = socket.getOutputStream();
				byte[] garbage = new byte[4096];
				new Random(i).nextBytes(garbage);
				out.write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
				out.write(garbage);
				out.flush();
				InputStream in = socket.getInputStream();
				long deadline = System.nanoTime() + 3_000_000_000L;
				int read = 0;
				try {
					while (read >= 0 && System.nanoTime() < deadline) {
						read = in.read(new byte[1024]);
					}
				}
				catch (java.net.SocketException ex) {
					read = -1;
				}
				catch (SocketTimeoutException ex) {
					throw new AssertionError("connection still open after garbage", ex);
				}
				assertThat(read).as("connection closed").isEqualTo(-1);
			}
		}
		assertStillServing();
	}

	@Test
	void malformedProtobufIsRefusedAndTheMemberStaysUp() {
		Random random = new Random(42);
		int refused = 0;
		for (int i = 0; i < 300; i++) {
			byte[] junk = new byte[1 + random.nextInt(200)];
			random.nextBytes(junk);
			for (String method : new String[] { "hedge.v1.Messaging/Send", "hedge.v1.Messaging/Broadcast",
					"hedge.v1.Membership/Heartbeat", "hedge.v1.Membership/PushMembers", "hedge.v1.Membership/Leave",
					"hedge.v1.Membership/Released" }) {
				try {
					this.raw.unary(method, junk, RawCalls.headers(this.leader.group(), "127.0.0.1:9", "0"));
				}
				catch (StatusRuntimeException ex) {
					refused++;
					assertThat(ex.getStatus().getCode()).as("%s with %d junk bytes", method, junk.length)
						.isIn(Status.Code.INVALID_ARGUMENT, Status.Code.FAILED_PRECONDITION);
				}
			}
		}
		assertThat(refused).isGreaterThan(0);
		assertStillServing();
		assertThat(this.leader.members()).doesNotContain("127.0.0.1:9");
	}

	@Test
	void callsForAnotherGroupOrWithoutHeadersAreRefusedBeforeAnyHandlerRuns() {
		byte[] request = payload("x".getBytes(StandardCharsets.UTF_8));
		assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(() -> this.raw.unary("hedge.v1.Messaging/Send", request,
					RawCalls.headers("another-group", "127.0.0.1:1", "0")))
			.satisfies((ex) -> {
				assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
				assertThat(Failure.from(ex).kind()).isEqualTo(Failure.Kind.WRONG_GROUP);
			});
		assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(() -> this.raw.unary("hedge.v1.Messaging/Send", request, RawCalls.headers(null, null, null)))
			.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
		assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(() -> this.raw.unary("hedge.v1.Messaging/Send", request,
					RawCalls.headers(this.leader.group(), "127.0.0.1:1", "not-a-number")))
			.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
		assertStillServing();
	}

	@Test
	void aFollowerRefusesSendsWithNotLeaderAndNamesTheLeader() {
		try (RawCalls toFollower = new RawCalls(this.follower.nodeId())) {
			assertThatExceptionOfType(StatusRuntimeException.class)
				.isThrownBy(() -> toFollower.unary("hedge.v1.Messaging/Send",
						payload("x".getBytes(StandardCharsets.UTF_8)),
						RawCalls.headers(this.leader.group(), "127.0.0.1:1", "0")))
				.satisfies((ex) -> {
					Failure failure = Failure.from(ex);
					assertThat(failure.kind()).isEqualTo(Failure.Kind.NOT_LEADER);
					assertThat(failure.leaderHint()).isEqualTo(this.leader.nodeId());
					assertThat(failure.leaderEpoch()).isEqualTo(this.leader.epoch());
				});
		}
	}

	@Test
	void aForgedMemberListIsRefused() {
		MemberList forged = MemberList.newBuilder()
			.setEpoch(this.leader.epoch() + 100)
			.setVersion(1)
			.setLeader("10.6.6.6:6")
			.addMembers("10.6.6.6:6")
			.build();
		byte[] request = PushMembersRequest.newBuilder().setMembers(forged).build().toByteArray();
		try (RawCalls toFollower = new RawCalls(this.follower.nodeId())) {
			assertThatExceptionOfType(StatusRuntimeException.class)
				.isThrownBy(() -> toFollower.unary("hedge.v1.Membership/PushMembers", request,
						RawCalls.headers(this.leader.group(), "127.0.0.1:7", "0")))
				.satisfies((ex) -> assertThat(Failure.from(ex).kind()).isEqualTo(Failure.Kind.INVALID));
		}
		assertThat(this.follower.members()).doesNotContain("10.6.6.6:6");
	}

	@Test
	void aMemberListForgedInTheLeadersNameIsReplacedAtTheNextHeartbeat() {
		// member calls are not authenticated: from loopback, a caller can claim the leader's id
		MemberList forged = MemberList.newBuilder()
			.setEpoch(this.leader.epoch())
			.setVersion(Long.MAX_VALUE / 2)
			.setLeader(this.leader.nodeId())
			.addMembers(this.leader.nodeId())
			.addMembers("127.0.0.1:9")
			.build();
		byte[] request = PushMembersRequest.newBuilder().setMembers(forged).build().toByteArray();
		try (RawCalls toFollower = new RawCalls(this.follower.nodeId())) {
			toFollower.unary("hedge.v1.Membership/PushMembers", request,
					RawCalls.headers(this.leader.group(), this.leader.nodeId(), Long.toString(this.leader.epoch())));
		}
		await().atMost(Timing.seconds(10))
			.untilAsserted(() -> assertThat(this.follower.members()).doesNotContain("127.0.0.1:9")
				.contains(this.leader.nodeId(), this.follower.nodeId()));
		assertStillServing();
	}

}
